package gdlab.experiment.crosscheck;

import gdlab.crosscheck.Dl4jDefects;
import gdlab.crosscheck.OptionCheck;
import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances.Verdict;
import gdlab.experiment.crosscheck.CrosscheckSummary.Row;
import gdlab.reference.GradientNormalization;
import gdlab.report.Table;
import gdlab.spec.Spec;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * crosscheck's sections on the training options (stages 7-14: what each one sets in DL4J and in the reference, and
 * how its rows came out) and on the DL4J defects measured in the run ({@link Dl4jDefects}).
 */
final class OptionsSection {
    private OptionsSection() {
    }

    /** What a stage sets, in DL4J's words, with the spec's values. */
    static String setting(Stage s, Spec spec) {
        return switch (s) {
            case SCHEDULE_ITERATION -> "InverseSchedule(ITERATION, lr, gamma " + spec.string("schedule_gamma")
                    + ", power 1): lr / (1 + gamma i)";
            case SCHEDULE_EPOCH -> "StepSchedule(EPOCH, lr, decay " + spec.string("epoch_decay")
                    + ", step 1): lr x decay^epoch";
            case CLIP_L2_PER_LAYER, CLIP_L2_PER_PARAM_TYPE -> OptionCheck.normalization(s).name() + ", threshold "
                    + spec.string("clip_l2");
            case CLIP_ELEMENT_WISE -> OptionCheck.normalization(s).name() + ", threshold " + spec.string("clip_value");
            case RENORMALIZE_L2_PER_LAYER, RENORMALIZE_L2_PER_PARAM_TYPE -> OptionCheck.normalization(s).name();
            case L2 -> ".l2(" + spec.string("l2") + ") (weights only)";
            default -> throw new IllegalArgumentException(s + " is not an option stage");
        };
    }

    static String of(Spec spec, List<Row> rows) {
        if (!spec.bool("options")) {
            return "";
        }
        Table t = new Table("stage", "setting", "rows", "pass", "drift", "fail", "worst_rel_diff_double",
                "worst_rel_diff_float", "clip_bound_share");
        for (Stage s : Stage.OPTIONS) {
            List<Row> of = rows.stream().filter(r -> r.stage() == s).toList();
            t.add(s.title(), setting(s, spec), of.size(), CrosscheckSummary.count(of, Verdict.PASS),
                    CrosscheckSummary.count(of, Verdict.DRIFT), CrosscheckSummary.count(of, Verdict.FAIL),
                    worst(of, "double"), worst(of, "float"), activeShare(s, of));
        }
        return String.format(Locale.ROOT, """
                ### Training options (stages 7-14)

                Each option stage trains a fresh net from the cell's start for %s shuffled epochs (modes: %s) with \
                one option set, in DL4J and in the reference (`gdlab.reference.TrainingStep`: the mean gradient, \
                then the normalization per layer, then L2 on the weights, then the updater with its scheduled \
                rate), and compares the parameters at the end. DL4J's epoch count is advanced after every epoch \
                (`incrementEpochCount()`, as gdlab's Trainer does): `fit(DataSet)` alone never advances it (see \
                the defects below). The schedule stages leave out gdlab's heavy ball and AdaDelta (no schedulable \
                learning rate) and AdaGrad (NaN with a schedule). clip_bound_share: the share of the reference's \
                updates whose gradient the clip changed, mean over the cells (a clip that never binds checks \
                nothing).

                """, spec.string("option_epochs"), String.join(", ", spec.list("option_modes")))
                + t.toMarkdown() + '\n';
    }

    private static Object worst(List<Row> rows, String dtype) {
        List<Row> of = rows.stream().filter(r -> r.get("dtype").equals(dtype)).toList();
        return of.isEmpty() ? "-" : CrosscheckSummary.worst(of).rel();
    }

    private static Object activeShare(Stage s, List<Row> rows) {
        if (OptionCheck.normalization(s) == GradientNormalization.NONE) {
            return "-";
        }
        OptionalDouble mean = rows.stream().map(r -> CrosscheckSummary.number(r.cell(), s.label() + "_active_share"))
                .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).average();
        return mean.isPresent() ? mean.getAsDouble() : "-";
    }

    /** The defects table, measured now. */
    static String defects() {
        Table t = new Table("measured", "correct", "dl4j_1.0.0-M2.1", "defect", "gdlab");
        for (Dl4jDefects.Defect d : Dl4jDefects.measure()) {
            t.add(d.name(), d.expected(), d.measured(), d.present() ? "yes" : "no (fixed?)", d.handling());
        }
        return "### DL4J defects measured in this run\n\nTiny nets (4-6-3 tanh/softmax, DOUBLE, four seeded "
                + "minibatches of 4), measured afresh by every run; a test pins each.\n\n" + t.toMarkdown() + '\n';
    }
}
