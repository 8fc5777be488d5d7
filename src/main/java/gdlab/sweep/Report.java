package gdlab.sweep;

import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.report.Table;

import java.util.List;

/**
 * What an experiment says about its finished cells.
 *
 * @param summary  the main table (summary.csv, and first in summary.md)
 * @param markdown the body of summary.md after the title and hypothesis: the summary table and whatever else
 *                 answers the question (a comparison with theory, a verdict)
 * @param figures  plots drawn into the run folder (PNG and SVG) and embedded at the end of summary.md
 * @param claims   the hypothesis's claims with their verdicts (claims.csv and the Checks section of summary.md);
 *                 an integrity check that does not hold fails the run
 */
public record Report(Table summary, String markdown, List<Figure> figures, List<Claim> claims) {

    public Report {
        figures = List.copyOf(figures);
        claims = List.copyOf(claims);
    }

    /** True when one of its integrity checks does not hold: the run then exits with status 1. */
    public boolean fails() {
        return claims.stream().anyMatch(Claim::failsTheRun);
    }
}
