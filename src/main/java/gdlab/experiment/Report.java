package gdlab.experiment;

import gdlab.report.Figure;
import gdlab.report.Table;

import java.util.List;

/**
 * What an experiment says about its finished cells.
 *
 * @param summary  the main table (summary.csv, and first in summary.md)
 * @param markdown the body of summary.md after the title and hypothesis: the summary table and whatever else
 *                 answers the question (a comparison with theory, a verdict)
 * @param failed   true when the run found what it checks to be wrong (the process then exits with status 1)
 * @param figures  plots drawn into the run folder (PNG and SVG) and embedded at the end of summary.md
 */
public record Report(Table summary, String markdown, boolean failed, List<Figure> figures) {

    public Report {
        figures = List.copyOf(figures);
    }

    public Report(Table summary, String markdown, boolean failed) {
        this(summary, markdown, failed, List.of());
    }
}
