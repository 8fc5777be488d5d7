package gdlab.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * An experiment some of whose cells can be trained together as one stacked computation ({@code -Dstack=K}): cells
 * with the same network shape, dtype, batch size, data, epoch budget and updater type, differing only in seed (hence
 * initial parameters and epoch order) and hyperparameters. The local engine groups the cells by {@link #stackKey} into
 * stacks of at most K and hands each stack to {@link #runStacked}; cells without a key train one by one with
 * {@link Experiment#run}. A stacked cell's result must equal its {@code run} result within float rounding.
 */
public interface Stackable {

    /** The key shared by the cells that may train in one stack, or null when this cell trains alone. */
    String stackKey(Cell cell);

    /**
     * Trains {@code cells} (all of one {@link #stackKey}) as one stack, calling {@code onFinished} once per cell as
     * soon as that cell is finished (a diverged cell before the others). May be called from several threads at once.
     */
    void runStacked(List<Cell> cells, Consumer<CellResult> onFinished);
}
