import ArgumentParser
import EntativaServer

@main
struct Entativa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entativa",
        abstract: "The Entativa and Vignette social platform server.",
        version: EntativaVersion.current,
        subcommands: [Serve.self, Migrate.self, Admin.self, Seed.self, Bench.self],
        defaultSubcommand: Serve.self
    )
}
