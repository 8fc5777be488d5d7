package gdlab.reference;

/** Small pieces of DL4J's updater kernels shared by several updaters. */
final class Dl4jForms {
    private Dl4jForms() {
    }

    /**
     * DL4J's Adam/AMSGrad step size lr sqrt(1 - b2^t) / (1 - b1^t), replaced by eps when it is NaN, 0 or infinite
     * (as its kernels do).
     */
    static double biasCorrectedStep(double lr, double b1t, double b2t, double eps) {
        double at = lr * Math.sqrt(1.0 - b2t) / (1.0 - b1t);
        return fallback(at, eps);
    }

    static double fallback(double value, double eps) {
        return Double.isNaN(value) || value == 0 || Double.isInfinite(value) ? eps : value;
    }
}
