package peft4j.api;

/** Maps a token's position in the input batch to its row in the encoder output, after prompts were inserted. */
@FunctionalInterface
public interface PositionMap {

    PositionMap IDENTITY = (row, position) -> position;

    long outputPosition(int row, long inputPosition);

    /** This map applied after {@code first}. */
    default PositionMap after(PositionMap first) {
        return (row, position) -> outputPosition(row, first.outputPosition(row, position));
    }
}
