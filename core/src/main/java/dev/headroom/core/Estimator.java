package dev.headroom.core;

import dev.headroom.core.cost.CostOptions;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.perf.Calibration;
import dev.headroom.core.perf.Efficiency;
import java.util.function.UnaryOperator;

/**
 * What every estimate is made against besides the deployment: the calibration, the user's efficiency
 * adjustments, how GPUs are paid for, and the prices. Solvers take one so they compile candidates the
 * same way a single estimate does.
 */
public record Estimator(Calibration calibration, UnaryOperator<Efficiency> tune, CostOptions costs, PriceBook prices) {
    public Estimator {
        tune = tune == null ? UnaryOperator.identity() : tune;
        costs = costs == null ? CostOptions.defaults() : costs;
        prices = prices == null ? PriceBook.EMPTY : prices;
        calibration = calibration == null ? Calibration.DEFAULT : calibration;
    }

    public DeploymentProfile compile(ModelProfile model, Deployment d) {
        return DeploymentProfile.compile(model, d, calibration, tune, costs, prices);
    }

    public Estimator withCosts(CostOptions c) {
        return new Estimator(calibration, tune, c, prices);
    }
}
