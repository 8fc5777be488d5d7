package gdlab.reference;

/**
 * Which form of an updater rule to use where DL4J 1.0.0-M2.1's implementation departs from the paper that defines the
 * rule. Updaters whose DL4J form is the paper's have only {@link #DL4J}.
 */
public enum Variant {
    /** What DL4J 1.0.0-M2.1 computes (the default everywhere). */
    DL4J,
    /** What the defining paper specifies; each updater's Javadoc says which paper and which of its forms. */
    PAPER
}
