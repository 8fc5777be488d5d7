/**
 * An independent reference implementation of gradient descent in plain Java {@code double}s.
 *
 * <p>Everything here is ordinary arithmetic on {@code double[]}: a dense feed-forward net ({@link gdlab.reference.Mlp})
 * with its activations and losses, the first-order updaters DL4J offers ({@link gdlab.reference.Updater},
 * {@link gdlab.reference.Updaters}), closed-form test objectives ({@link gdlab.reference.Quadratic},
 * {@link gdlab.reference.TestFunction}), the textbook theory of gradient descent on quadratics
 * ({@link gdlab.reference.Theory}), line-search solvers ({@link gdlab.reference.ConjugateGradient},
 * {@link gdlab.reference.Lbfgs}, {@link gdlab.reference.LineSearchGradientDescent}) and a minibatch training loop
 * ({@link gdlab.reference.ReferenceTrainer}).
 *
 * <p>The package depends on nothing from ND4J or DL4J (an ArchUnit rule enforces it), so that DL4J's results can be
 * checked against it. Where DL4J 1.0.0-M2.1 computes something differently from the paper that defines it, the DL4J
 * form is the default and the paper's form is available beside it under a {@link gdlab.reference.Variant}; each class
 * says which.
 */
package gdlab.reference;
