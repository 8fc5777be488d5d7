package gdlab.answers;

import gdlab.answers.Question.Source;

import java.util.List;
import java.util.Map;

/**
 * The classic questions about gradient descent, in the order a learner meets them, each pointed at the claims,
 * summary rows and figures that answer it. The claim ids are those of the experiments' hypotheses (a test keeps
 * them in step with the spec files); what the answer says is read from the runs.
 */
final class Questions {
    /** The experiment that pairs each weakness with its remedy. */
    static final String REMEDIES = "remedies";

    private Questions() {
    }

    static final List<Question> ALL = List.of(
            new Question("What is gradient descent?", List.of(
                    new Source("gradient-basics", List.of("first_order_decrease", "plus_g_raises_loss",
                            "random_direction_barely_changes", "curvature_takes_over"), Map.of("data", "digits"),
                            List.of("data", "eta", "ratio_minus_g", "ratio_plus_g", "ratio_random"),
                            "On the digits MLP, the loss change of one step along -g as a multiple of eta|g|^2 "
                                    + "(along +g, along a random direction)",
                            "eta {eta}: {ratio_minus_g} ({ratio_plus_g}, {ratio_random})",
                            List.of("step-direction-digits.png")))),
            new Question("How does a neural network learn (backpropagation and the update)?",
                    List.of(new Source("gradient-basics", List.of("backprop_matches_reference",
                            "finite_differences_match_backprop", "sgd_lowers_loss", "sgd_moves_every_block",
                            "sgd_matches_reference"), Map.of(), List.of(), "",
                            "", List.of("sgd-loss.png", "sgd-change-digits.png")))),
            new Question("What is the loss function, and what is its gradient?", List.of(
                    Source.claims("gradient-basics", List.of("loss_values_match_reference",
                            "score_is_cross_entropy", "loss_gradients_match_reference",
                            "softmax_cross_entropy_gradient")))),
            new Question("How do batch, stochastic and mini-batch gradient descent differ?", List.of(
                    new Source("batch-modes", List.of(), Map.of(),
                            List.of("mode", "batch_size", "updates_per_epoch", "epochs_to_target_mean",
                                    "reached_target", "time_to_target_ms_mean", "test_accuracy_mean",
                                    "loss_noise_cv_mean"),
                            "Per mode: updates per epoch; epochs and wall time to the target loss (mean over the "
                                    + "seeds that reached it)",
                            "{mode} (B = {batch_size}) {updates_per_epoch} updates, {epochs_to_target_mean} epochs, "
                                    + "{time_to_target_ms_mean} ms",
                            List.of("loss-per-epoch.png", "time-to-target.png")))),
            new Question("How does the learning rate change gradient descent?", List.of(
                    new Source("learning-rate", List.of(), Map.of("problem", "quadratic", "mode", "batch"),
                            List.of("problem", "mode", "batch_size", "lr_ratio", "lr", "regime", "final_loss_mean",
                                    "epochs_to_target_mean"),
                            "Full-batch GD on the quadratic, by learning rate as a multiple of lr_crit = "
                                    + "2 / lambda_max",
                            "{lr_ratio} x: {regime} (final loss {final_loss_mean})",
                            List.of("final-loss-vs-lr-quadratic.png", "loss-curves-quadratic.png")))),
            new Question("What are gradient descent's weaknesses, and their remedies?",
                    List.of(Source.claims("failure-modes", List.of("minima_depend_on_start",
                                    "too_large_step_diverges", "sigmoid_gradient_vanishes", "others_escape_far_sooner")),
                            new Source(REMEDIES, List.of(), Map.of(), List.of(), "", "", List.of()))),
            new Question("When does gradient descent fail?", List.of(
                    new Source("failure-modes", List.of(), Map.of("part", "step-size"),
                            List.of("case", "lr", "setting", "outcome"),
                            "Too large a step", "{case} at lr {lr}: {outcome}",
                            List.of("basins-himmelblau.png", "saddle-escape.png")))),
            new Question("How do you choose an optimizer?", List.of(
                    new Source("optimizers", List.of(), Map.of("setting", "tuned", "problem", "iris"),
                            List.of("problem", "optimizer", "setting", "lr", "rank", "final_loss_mean", "status"),
                            "", "", List.of("profile-tuned.png", "tuned-ranking.png")))),
            new Question("What is a mini-batch, and what does its size cost?", List.of(
                    new Source("batch-modes", List.of("updates_per_epoch", "batch_most_memory",
                            "mini_batch_epochs_near_stochastic", "mini_batch_fraction_of_time"), Map.of(),
                            List.of("mode", "batch_size", "updates_per_epoch", "activation_bytes",
                                    "updates_to_target_mean"),
                            "Activations held by one step",
                            "{mode} (B = {batch_size}) {activation_bytes} bytes",
                            List.of("loss-per-update.png")))),
            new Question("What is an epoch, and when should training stop?", List.of(
                    new Source("epochs", List.of(), Map.of(),
                            List.of("order", "stopping", "epochs_run_mean", "best_epoch_mean",
                                    "val_loss_at_compare_epoch_mean", "val_loss_rise_mean", "test_accuracy_mean"),
                            "", "", List.of("validation-loss.png", "early-stopping.png")))),
            new Question("What does momentum add to gradient descent?", List.of(
                    new Source("momentum", List.of(), Map.of("part", "quadratic"),
                            List.of("problem", "optimizer", "momentum", "lr", "predicted_iterations",
                                    "measured_iterations", "speedup_measured"),
                            "Iterations to the tolerance on the quadratics of condition k",
                            "{problem} {optimizer} mu = {momentum}: {measured_iterations}",
                            List.of("iterations-vs-k.png", "path-rosenbrock.png")))),
            new Question("What does a CNN's training loop look like, and what does it reach?",
                    List.of(new Source("cnn-init", List.of("check_tells_units_apart", "he_relu_among_best"),
                            Map.of("activation", "relu"),
                            List.of("optimizer", "lr", "activation", "init", "test_accuracy_mean",
                                    "final_train_loss_mean", "epochs_to_target_mean"),
                            "", "", List.of("test-accuracy-sgd.png")))),
            new Question("Which activation and initialization, and why?", List.of(
                    new Source("cnn-init", List.of("zero_init_identical_units", "zero_init_near_chance",
                            "sigmoid_poor_init_slow", "sigmoid_first_layer_gradient_small", "he_relu_among_best"),
                            Map.of(), List.of("optimizer", "activation", "init", "test_accuracy_mean",
                            "grad_ratio_first_last_mean"),
                            "Test accuracy by activation and initialization",
                            "{activation} + {init}: {test_accuracy_mean}",
                            List.of("gradient-ratio.png")),
                    Source.claims("failure-modes", List.of("sigmoid_gradient_vanishes", "tanh_relu_flat",
                            "tanh_relu_learn")))));
}
