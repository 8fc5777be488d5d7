package gdlab.answers;

import java.util.List;
import java.util.Map;

/**
 * One classic question about gradient descent and the experiments whose runs answer it. The answer's words come
 * from those runs (their claims' verdicts and measured values, their summary rows), never from here: a question
 * only says where to look.
 *
 * @param title   the question as a learner asks it
 * @param sources the experiments that answer it, in the order their answers are told
 */
record Question(String title, List<Source> sources) {

    Question {
        sources = List.copyOf(sources);
    }

    /**
     * What one experiment contributes to an answer.
     *
     * @param experiment  the experiment's name
     * @param claims      the ids of its claims that answer the question, in order (empty: all of them)
     * @param where       summary rows kept for the key table and the measured sentence: column = value (empty: all)
     * @param columns     summary.csv columns of the key table (empty: no table)
     * @param lead        what the measured sentence lists ("Full-batch GD on the quadratic, by learning rate")
     * @param measured    how one kept row reads in it: {@code {column}} is replaced by the row's value (empty: no
     *                    measured sentence)
     * @param figures     figure files of the run to show, the first that exist (at most two)
     */
    record Source(String experiment, List<String> claims, Map<String, String> where, List<String> columns,
                  String lead, String measured, List<String> figures) {

        Source {
            claims = List.copyOf(claims);
            where = Map.copyOf(where);
            columns = List.copyOf(columns);
            figures = List.copyOf(figures);
        }

        /** A source that lends only its claims (no table, no figure). */
        static Source claims(String experiment, List<String> claims) {
            return new Source(experiment, claims, Map.of(), List.of(), "", "", List.of());
        }
    }
}
