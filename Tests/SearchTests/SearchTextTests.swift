import Testing

@testable import Search

@Suite("Search: the analyser")
struct SearchTextTests {
    @Test("Folding drops case, accents and widths, and leaves CJK as written")
    func folding() {
        #expect(SearchText.fold("Café CRÈME naïve") == "cafe creme naive")
        #expect(SearchText.fold("ｃａｆｅ") == "cafe")
        #expect(SearchText.fold("ガギ한국") == "ガギ한국")
    }

    @Test("Terms: words, tags and mentions whole and bare, CJK characters and pairs")
    func terms() {
        #expect(SearchText.terms(of: "Best #Coffee with @Ann_B!") == ["best", "#coffee", "coffee", "with", "@ann_b", "ann_b"])
        #expect(SearchText.terms(of: "東京タワー") == ["東", "京", "タ", "ワ", "ー", "東京", "京タ", "タワ", "ワー"])
        #expect(SearchText.terms(of: "a-b c.d") == ["a", "b", "c", "d"])
    }

    @Test("A query's last word is a prefix unless a space follows; long words may be widened")
    func queries() {
        let typing = SearchQuery("Best resturant")
        #expect(typing.groups == [.init(terms: ["best"]), .init(terms: [], prefix: "resturant", typoCandidate: "resturant")])
        #expect(SearchQuery("cafe ").groups == [.init(terms: ["cafe"])])
        #expect(SearchQuery("#coffee").groups == [.init(terms: [], prefix: "#coffee")])
        #expect(SearchQuery("東京タワー ").groups.map(\.terms) == [["東京"], ["京タ"], ["タワ"], ["ワー"]])
        let widened = SearchQuery("resturant ").widened(with: ["resturant": ["restaurant"]])
        #expect(widened.fts5 == "(\"resturant\" OR \"restaurant\")")
        #expect(widened.tsquery == "('resturant' | 'restaurant')")
        #expect(SearchQuery("say \"hi\" NEAR").fts5 == "\"say\" AND \"hi\" AND \"near\"*")
        #expect(SearchQuery("o'neil").tsquery == "'o' & 'neil':*")
        #expect(SearchQuery("?!").isEmpty)
    }

    @Test("One typo: a letter added, dropped, changed, or two swapped; no more")
    func typos() {
        #expect(Typos.oneApart("resturant", "restaurant"))
        #expect(Typos.oneApart("restaurnat", "restaurant"))
        #expect(Typos.oneApart("restaurent", "restaurant"))
        #expect(Typos.oneApart("restaurantt", "restaurant"))
        #expect(!Typos.oneApart("restaurant", "restaurant"))
        #expect(!Typos.oneApart("resturnat", "restaurant"))
        #expect(Set(Typos.deletionVariants(of: "abc")) == ["abc", "bc", "ac", "ab"])
        #expect(Typos.transpositions(of: "abb") == ["bab"])
    }
}
