package gdlab.report;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

    @Test
    void tablesBecomeTablesAndVerdictCellsAreClassedByVerdict() {
        String md = """
                # run: a question

                | claim | verdict       |
                | ----- | ------------- |
                | a     | holds         |
                | b     | does not hold |
                | c     | **FAILS**     |
                | d     | not tested    |
                """;
        String html = Html.render(md, Map.of());
        assertThat(html).contains("<h1>run: a question</h1>").contains("<table>").contains("<th>verdict</th>")
                .contains("<td class=\"verdict v-holds\">holds</td>")
                .contains("<td class=\"verdict v-does-not-hold\">does not hold</td>")
                .contains("<td class=\"verdict v-fails\"><strong>FAILS</strong></td>")
                .contains("<td class=\"verdict v-not-tested\">not tested</td>")
                .contains("<td>a</td>");
    }

    @Test
    void longCellsAreProseThatMayWrapShortOnesKeepToOneLine() {
        String md = "| claim | statement | verdict |\n| --- | --- | --- |\n"
                + "| a | Batch GD has the smoothest loss of all three modes. | holds |\n";
        assertThat(Html.render(md, Map.of())).contains("<td>a</td>")
                .contains("<td class=\"prose\">Batch GD has the smoothest loss of all three modes.</td>")
                .contains("<td class=\"verdict v-holds\">holds</td>");
        assertThat(Html.CSS).contains("white-space: nowrap").contains("td.prose { white-space: normal");
    }

    @Test
    void imagesAreInlinedAndAMissingOneIsSaidNotLinked() {
        String md = "![Loss per epoch](loss.png)\n\n![Gone](gone.png)\n\n![Remote](https://example.org/x.png)\n";
        String html = Html.render(md, Map.of("loss.png", PNG));
        assertThat(html).contains("<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG)
                + "\" alt=\"Loss per epoch\" />")
                .contains("figure gone.png is missing").contains("figure https://example.org/x.png is missing")
                .doesNotContain("src=\"gone.png").doesNotContain("src=\"https:");
    }

    @Test
    void rawHtmlAndScriptLinksInTheMarkdownAreEscapedNotPassedThrough() {
        String md = "| label |\n| --- |\n| <script>alert(1)</script> |\n\n<b>bold</b> [x](javascript:alert(1))\n";
        String html = Html.render(md, Map.of());
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<b>bold").doesNotContain("javascript:");
    }

    @Test
    void aPageIsOneFileWithItsStyleAndNoScriptOrExternalResource() {
        String page = Html.page("a <title> & more", "# Hi\n\n![f](f.png)\n", Map.of("f.png", PNG));
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
                .contains("<title>a &lt;title&gt; &amp; more</title>").contains("<style>")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(page.getBytes(StandardCharsets.UTF_8).length).isLessThan(10_000);
    }

    @Test
    void escapeCoversElementsAndQuotedAttributes() {
        assertThat(Html.escape("<a href=\"x\">'&'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(Html.slug(" Does not hold ")).isEqualTo("does-not-hold");
        assertThat(Html.mediaType("a.SVG")).isEqualTo("image/svg+xml");
    }
}
