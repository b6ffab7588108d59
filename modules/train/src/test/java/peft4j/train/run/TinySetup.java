package peft4j.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import peft4j.backbone.bert.TinyBert;
import peft4j.data.Example;
import peft4j.data.TaskSplits;

/** A tiny random BERT and a small synthetic polarity-like task, for trainer tests that run in seconds. */
final class TinySetup {

    private TinySetup() {
    }

    static Path model(Path dir) throws IOException {
        return TinyBert.writeModel(dir.resolve("tiny-bert"), 3);
    }

    /** Sentences made of the tiny vocabulary; "good/fun/love" mean positive, "bad/boring" negative. */
    static TaskSplits splits(long seed) {
        Random random = new Random(seed);
        String[] positive = {"good", "fun", "love"};
        String[] negative = {"bad", "boring"};
        String[] filler = {"the", "movie", "is", "very", "a", "dog", "cat", "play"};
        List<List<Example>> parts = new ArrayList<>();
        int id = 0;
        for (int size : new int[] {48, 16, 16}) {
            List<Example> part = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                boolean pos = i % 2 == 0;
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 2 + random.nextInt(5); w++) {
                    text.append(filler[random.nextInt(filler.length)]).append(' ');
                }
                text.append(pos ? positive[random.nextInt(3)] : negative[random.nextInt(2)]).append(" .");
                part.add(new Example("tiny-" + id++, text.toString(), null, pos ? "positive" : "negative"));
            }
            parts.add(part);
        }
        return new TaskSplits(parts.get(0), parts.get(1), parts.get(2));
    }
}
