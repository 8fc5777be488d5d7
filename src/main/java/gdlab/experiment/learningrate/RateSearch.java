package gdlab.experiment.learningrate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The learning rate with the fastest measured convergence rate: from lr = 1 down by factors of sqrt(2) until the
 * rate, once finite, gets worse (or up, if lr = 1 is already the best), then golden-section search in log lr
 * between the neighbours of the best.
 *
 * @param lr   the best learning rate found
 * @param rate its measured rate
 * @param runs how many runs the search took
 */
record RateSearch(double lr, double rate, int runs) {

    /** @param evaluations the golden-section steps */
    static RateSearch of(DoubleFunction<Double> rateOf, int evaluations) {
        List<Double> lrs = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (double lr = 1; lr > 1e-12; lr /= Math.sqrt(2)) {
            double r = rateOf.apply(lr);
            lrs.add(0, lr);
            rates.add(0, r);
            if (rates.size() >= 2 && Double.isFinite(rates.get(1)) && r > rates.get(1)) {
                break;
            }
        }
        if (rates.size() >= 2 && rates.get(rates.size() - 1) < rates.get(rates.size() - 2)) {
            for (double lr = Math.sqrt(2); lr < 1e12; lr *= Math.sqrt(2)) {
                double r = rateOf.apply(lr);
                lrs.add(lr);
                rates.add(r);
                if (!(r < rates.get(rates.size() - 2))) {
                    break;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < rates.size(); i++) {
            if (rates.get(i) < rates.get(best)) {
                best = i;
            }
        }
        int runs = lrs.size();
        double a = Math.log(lrs.get(Math.max(0, best - 1)));
        double b = Math.log(lrs.get(Math.min(lrs.size() - 1, best + 1)));
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = rateOf.apply(Math.exp(c));
        double fd = rateOf.apply(Math.exp(d));
        runs += 2;
        for (int it = 2; it < evaluations; it++) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = rateOf.apply(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = rateOf.apply(Math.exp(d));
            }
            runs++;
        }
        double bestLr = fc <= fd ? Math.exp(c) : Math.exp(d);
        double bestRate = Math.min(fc, fd);
        if (rates.get(best) < bestRate) {
            bestLr = lrs.get(best);
            bestRate = rates.get(best);
        }
        return new RateSearch(bestLr, bestRate, runs);
    }
}
