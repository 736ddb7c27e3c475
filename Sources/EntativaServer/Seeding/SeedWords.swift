/// The vocabulary seeded names, bios and posts are drawn from.
enum SeedWords {
    static let firstNames = [
        "Ada", "Amara", "Bea", "Chidi", "Dara", "Elif", "Emeka", "Farah", "Gabriel", "Hana", "Ifeoma", "Ivan", "Jonas", "Kemi", "Kenji",
        "Lena", "Luca", "Maya", "Mateo", "Nadia", "Noor", "Obi", "Olga", "Priya", "Quinn", "Rafael", "Rosa", "Sade", "Sami", "Tariq",
        "Tomas", "Uma", "Vera", "Wen", "Xavier", "Yara", "Yusuf", "Zara", "Zeynep", "Zoltan",
    ]
    static let lastNames = [
        "Abara", "Bauer", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Mensah",
        "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Sato", "Tanaka", "Usman", "Varga", "Wang", "Xu", "Yilmaz", "Zhang",
    ]
    static let bios = [
        "Coffee first.", "Runner, reader, bad cook.", "Photos of places I walk to.", "Building things on weekends.", "Plants and patience.",
        "Music nerd.", "Always learning.", "Here for the food pictures.", "Teacher by day.", "Cyclist in every weather.", "",
    ]
    static let vocabulary = [
        "today", "morning", "sunset", "coffee", "walk", "city", "river", "friends", "music", "dinner", "garden", "train", "book",
        "finally", "weekend", "new", "favourite", "little", "great", "quiet", "rain", "bright", "market", "bread", "trip", "home",
        "work", "project", "learned", "tried", "made", "found", "loved", "shared", "the", "a", "with", "after", "before", "again",
        "together", "some", "first", "long", "short", "best", "small", "old", "blue", "green", "light", "window", "street", "park",
    ]
    static let tags = [
        "food", "travel", "music", "books", "running", "coffee", "photography", "garden", "cycling", "art", "design", "swift",
        "football", "cooking", "nature", "city", "film", "family", "weekend", "learning",
    ]
    /// Tags whose share of posts grows through the seeded period.
    static let growingTags = ["newchallenge", "sunrisewalk", "homemadebread", "citycycling"]
}
