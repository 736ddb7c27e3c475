import EntativaServer
import Foundation

extension EntativaConfig {
    /// A server for a benchmark: its data in `directory` (which the bench removes), the cheapest
    /// password hashing (benches register accounts, they do not measure bcrypt), errors only in
    /// the log. Each bench sets what it measures on top.
    static func bench(in directory: URL, databaseURL: String? = nil) -> EntativaConfig {
        var config = EntativaConfig()
        config.dataDirectory = directory.path
        config.databaseURL = databaseURL
        config.identity.bcryptCost = 4
        config.logLevel = "error"
        return config
    }
}
