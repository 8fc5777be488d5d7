package gdlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code -Dstack=K} splits a sweep's cells into work: each group of cells with one {@link Stackable#stackKey}
 * (in grid order) cut into stacks of at most K, and every other cell alone. One list per unit of work, in the
 * order of each unit's (each group's) first cell in the grid, so work the experiment puts first still starts first. With K = 1, or an experiment that is not
 * {@link Stackable}, every cell is alone (today's path).
 */
public final class Stacks {
    private Stacks() {
    }

    /** The units of work; a unit of more than one cell is a stack. */
    public static List<List<Cell>> plan(Experiment experiment, int stack, List<Cell> cells) {
        List<List<Cell>> units = new ArrayList<>();
        if (stack <= 1 || !(experiment instanceof Stackable stackable)) {
            cells.forEach(c -> units.add(List.of(c)));
            return units;
        }
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        List<Object> slots = new ArrayList<>();
        for (Cell cell : cells) {
            String key = stackable.stackKey(cell);
            if (key == null) {
                slots.add(cell);
            } else {
                if (!groups.containsKey(key)) {
                    slots.add(key);
                }
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(cell);
            }
        }
        for (Object slot : slots) {
            if (slot instanceof Cell cell) {
                units.add(List.of(cell));
                continue;
            }
            List<Cell> group = groups.get(slot);
            for (int from = 0; from < group.size(); from += stack) {
                units.add(List.copyOf(group.subList(from, Math.min(group.size(), from + stack))));
            }
        }
        return units;
    }

    /** The indices of the cells that {@link #plan} puts in a stack of two or more, in grid order. */
    public static List<Integer> stackedIndices(Experiment experiment, int stack, List<Cell> cells) {
        return plan(experiment, stack, cells).stream().filter(u -> u.size() > 1).flatMap(List::stream)
                .map(Cell::index).sorted().toList();
    }
}
