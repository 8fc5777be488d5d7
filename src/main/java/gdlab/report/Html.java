package gdlab.report;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown (CommonMark with GitHub's tables) to one self-contained HTML page: the figures a text names are inlined
 * as {@code data:} URIs and the style sheet sits in the page, so it opens anywhere, offline, as a single file.
 *
 * <p>Raw HTML in the Markdown is escaped, never passed through, so a value that reached a table (a label, a path)
 * cannot inject markup. An image the caller supplies no bytes for is not linked to (that would fetch a file or
 * the network): it becomes a line saying it is missing. A table cell under a column headed {@code verdict} gets
 * the classes {@code verdict v-<verdict>} ({@code v-holds}, {@code v-does-not-hold}, {@code v-fails}, ...), which
 * the style sheet colours; short cells (numbers with their spread) keep to one line, long ones ({@code prose})
 * wrap.
 */
public final class Html {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS)
            .escapeHtml(true).sanitizeUrls(true)
            .attributeProviderFactory(context -> Html::cellClasses).build();

    /** A cell with more characters than this is prose and may wrap; shorter cells keep to one line. */
    private static final int PROSE_LENGTH = 32;

    /** The page's style sheet: readable tables that scroll sideways when wide, verdicts in colour. */
    static final String CSS = """
            body { font-family: system-ui, sans-serif; line-height: 1.45; margin: 1.5em auto; max-width: 75em;
                   padding: 0 1em; color: #1f2328; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.3em; margin-top: 1.6em; } h3 { font-size: 1.15em; }
            table { border-collapse: collapse; display: block; overflow-x: auto; margin: 0.8em 0;
                    font-size: 0.9em; }
            th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; text-align: left; vertical-align: top;
                     white-space: nowrap; }
            td.prose { white-space: normal; min-width: 14em; }
            th { background: #f6f8fa; }
            tr:nth-child(even) td { background: #fafbfc; }
            img { max-width: 100%; height: auto; }
            code { background: #f6f8fa; padding: 0 0.2em; }
            .verdict { font-weight: 600; white-space: nowrap; }
            td.v-holds, td.v-better, td.v-same { color: #1a7f37; }
            td.v-does-not-hold, td.v-changed { color: #9a6700; }
            td.v-not-tested, td.v-setting-differs { color: #6e7781; }
            td.v-fails, td.v-worse { color: #fff; background: #cf222e !important; }
            tr.overridden td { background: #fff8c5; }
            .missing { color: #cf222e; }
            """;

    private Html() {
    }

    /** A whole page: {@code markdown} rendered by {@link #render}, titled {@code title}. */
    public static String page(String title, String markdown, Map<String, byte[]> images) {
        return document(title, render(markdown, images));
    }

    /**
     * A whole page around an HTML body (already rendered or built with {@link #escape}): the doctype, UTF-8, the
     * title and the inline style sheet; no script, nothing fetched.
     */
    public static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
    }

    /**
     * Markdown to an HTML fragment. Every image whose destination is a key of {@code images} is inlined from its
     * bytes (PNG, SVG, JPEG or GIF by the name's ending); any other image becomes a note that it is missing.
     */
    public static String render(String markdown, Map<String, byte[]> images) {
        Node document = PARSER.parse(markdown);
        List<Image> found = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Image image) {
                found.add(image);
            }
        });
        for (Image image : found) {
            byte[] bytes = images.get(image.getDestination());
            if (bytes != null) {
                image.setDestination("data:" + mediaType(image.getDestination()) + ";base64,"
                        + Base64.getEncoder().encodeToString(bytes));
            } else {
                Emphasis note = new Emphasis();
                note.appendChild(new Text("figure " + image.getDestination() + " is missing"));
                image.insertBefore(note);
                image.unlink();
            }
        }
        return RENDERER.render(document);
    }

    /** Text made safe inside HTML elements and quoted attribute values. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code does not hold} -> {@code does-not-hold}: a verdict as a CSS class name. */
    public static String slug(String text) {
        return text.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    static String mediaType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        return lower.endsWith(".gif") ? "image/gif" : "image/png";
    }

    /**
     * Classes a table cell: {@code prose} when its text is long (it may wrap; shorter ones, numbers with their
     * spread, do not), and {@code verdict v-<verdict>} in a body cell of a column headed {@code verdict}.
     */
    private static void cellClasses(Node node, String tagName, Map<String, String> attributes) {
        if (!(node instanceof TableCell cell)) {
            return;
        }
        List<String> classes = new ArrayList<>();
        String text = text(cell);
        if (text.length() > PROSE_LENGTH) {
            classes.add("prose");
        }
        if (!cell.isHeader() && cell.getParent().getParent().getParent() instanceof TableBlock table
                && table.getFirstChild() instanceof TableHead head) {
            Node headerCell = head.getFirstChild().getFirstChild();
            for (Node n = cell.getPrevious(); n != null && headerCell != null; n = n.getPrevious()) {
                headerCell = headerCell.getNext();
            }
            if (headerCell != null && text(headerCell).strip().equals("verdict")) {
                classes.add("verdict");
                classes.add("v-" + slug(text));
            }
        }
        if (!classes.isEmpty()) {
            attributes.put("class", String.join(" ", classes));
        }
    }

    /** The literal text under a node. */
    static String text(Node node) {
        StringBuilder sb = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                sb.append(code.getLiteral());
            }
        });
        return sb.toString();
    }
}
