package gdlab.sweep;

import gdlab.report.Metric;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which cells share a stack: cells of one key in grid order, cut into stacks of at most K; cells without a key, every
 * cell at K = 1 and every cell of an experiment that cannot stack train alone; a stack that throws fails only the
 * cells it has not reported.
 */
class StacksTest {

    /** Cells {@code shape=a|b|c} (c cannot stack), each shape's cells stackable together. */
    static class Shapes implements Experiment, Stackable {
        final List<List<Cell>> stacks = new ArrayList<>();
        boolean throwAfterFirst;

        @Override
        public String name() {
            return "shapes";
        }

        @Override
        public String question() {
            return "";
        }

        @Override
        public List<Param> params() {
            return List.of();
        }

        @Override
        public List<Metric> metrics() {
            return List.of();
        }

        @Override
        public List<String> curveColumns() {
            return List.of();
        }

        @Override
        public List<Cell> prepare(Spec spec) {
            return List.of();
        }

        @Override
        public CellResult run(Cell cell) {
            return new CellResult(cell, CellResult.Status.OK, "alone", Map.of(), List.of());
        }

        @Override
        public Report summarize(List<CellResult> results) {
            return null;
        }

        @Override
        public String stackKey(Cell cell) {
            return cell.get("shape").equals("c") ? null : cell.get("shape");
        }

        @Override
        public void runStacked(List<Cell> cells, Consumer<CellResult> onFinished) {
            synchronized (stacks) {
                stacks.add(cells);
            }
            for (Cell cell : cells) {
                onFinished.accept(new CellResult(cell, CellResult.Status.OK, "stacked", Map.of(), List.of()));
                if (throwAfterFirst) {
                    throw new IllegalStateException("the stack broke");
                }
            }
        }
    }

    static List<Cell> grid() {
        String[] shapes = {"c", "a", "b", "a", "a", "c", "b", "a", "a"};
        List<Cell> cells = new ArrayList<>();
        for (String s : shapes) {
            cells.add(new Cell(cells.size(), Map.of("shape", s)));
        }
        return cells;
    }

    static List<List<Integer>> indices(List<List<Cell>> units) {
        return units.stream().map(u -> u.stream().map(Cell::index).toList()).toList();
    }

    @Test
    void cellsOfOneKeyShareStacksOfAtMostKInGridOrder() {
        assertThat(indices(Stacks.plan(new Shapes(), 2, grid())))
                .containsExactly(List.of(0), List.of(1, 3), List.of(4, 7), List.of(8), List.of(2, 6), List.of(5));
        assertThat(indices(Stacks.plan(new Shapes(), 16, grid())))
                .containsExactly(List.of(0), List.of(1, 3, 4, 7, 8), List.of(2, 6), List.of(5));
        assertThat(Stacks.stackedIndices(new Shapes(), 2, grid())).containsExactly(1, 2, 3, 4, 6, 7);
    }

    @Test
    void stackOneOrAnExperimentThatCannotStackTrainsEveryCellAlone() {
        assertThat(indices(Stacks.plan(new Shapes(), 1, grid()))).hasSize(9).allMatch(u -> u.size() == 1);
        Experiment plain = new ForwardingExperiment(new Shapes()) {
        };
        assertThat(Stacks.stackedIndices(plain, 16, grid())).isEmpty();
    }

    @Test
    void aStackThatThrowsFailsOnlyTheCellsItHasNotReported() {
        Shapes shapes = new Shapes();
        shapes.throwAfterFirst = true;
        List<CellResult> reported = new ArrayList<>();
        List<CellResult> results = LocalEngine.runStack(shapes, grid().subList(1, 4), reported::add);
        assertThat(results).hasSize(3);
        assertThat(reported).extracting(CellResult::status)
                .containsExactly(CellResult.Status.OK, CellResult.Status.FAILED, CellResult.Status.FAILED);
        assertThat(reported.get(1).message()).contains("the stack broke");
    }
}
