package gdlab.experiment;

import gdlab.report.Table;

/**
 * What an experiment says about its finished cells.
 *
 * @param summary  the main table (summary.csv, and first in summary.md)
 * @param markdown the body of summary.md after the title and hypothesis: the summary table and whatever else
 *                 answers the question (a comparison with theory, a verdict)
 * @param failed   true when the run found what it checks to be wrong (the process then exits with status 1)
 */
public record Report(Table summary, String markdown, boolean failed) {
}
