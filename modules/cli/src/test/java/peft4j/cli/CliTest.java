package peft4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.AdaptationMethod;
import peft4j.backbone.models.ModelStore;

/** The command line as a user meets it: outputs, JSON shapes, and one-line errors with exit code 2. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Result result, String fragment) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(Main.USER_ERROR);
        assertThat(result.err().lines()).as("stderr").hasSize(1);
        assertThat(result.err()).startsWith("peft4j: error: ").contains(fragment).doesNotContain("Exception");
    }

    @Test
    void methodsListsExactlyWhatServiceLoaderFindsOnTheModulePath() throws Exception {
        assertThat(CliTest.class.getModule().isNamed()).as("tests run on the module path").isTrue();
        Result result = run("methods", "--json");
        assertThat(result.exitCode()).isZero();
        JsonNode methods = JSON.readTree(result.out());
        assertThat(methods.isArray()).isTrue();
        var discovered = ServiceLoader.load(AdaptationMethod.class).stream().map(p -> p.get().name())
                .collect(Collectors.toSet());
        var listed = new java.util.HashSet<String>();
        methods.forEach(m -> {
            listed.add(m.get("name").asText());
            assertThat(m.get("tunable_parameters").asLong()).isNotNegative();
        });
        assertThat(listed).isEqualTo(discovered).contains("prompt-tuning", "prompt-design");
        methods.forEach(m -> {
            if (m.get("name").asText().equals("prompt-tuning")) {
                assertThat(m.get("tunable_parameters").asLong()).isEqualTo(20 * 768);
            }
        });
    }

    @Test
    void helpWorksEverywhere() {
        for (String[] args : new String[][] {{"--help"}, {"fill-mask", "--help"}, {"models", "pull", "--help"},
                {"bench", "forward", "--help"}, {"methods", "--help"}, {"train", "--help"}, {"eval", "--help"},
                {"predict", "--help"}, {"demo", "--help"}, {"datasets", "list", "--help"}, {"bench", "train", "--help"},
                {"verify-model", "--help"}}) {
            Result result = run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).contains("Usage:");
        }
    }

    @Test
    void modelsListShowsTheDefaultModel() throws Exception {
        JsonNode models = JSON.readTree(run("models", "list", "--json").out());
        assertThat(models.get(0).get("name").asText()).isEqualTo(ModelStore.DEFAULT_MODEL);
        assertThat(models.get(0).get("source").asText()).startsWith("maven:com.robrua.nlp.models:");
    }

    @Test
    void datasetsListHasTheDocumentedShapeAndPullNeedsTasks() throws Exception {
        JsonNode tasks = JSON.readTree(run("datasets", "list", "--json").out());
        assertThat(tasks.isArray()).isTrue();
        JsonNode polarity = null;
        for (JsonNode t : tasks) {
            if (t.get("name").asText().equals("polarity")) {
                polarity = t;
            }
        }
        assertThat(polarity).isNotNull();
        assertThat(polarity.get("splits").get("train").asInt()).isEqualTo(3200);
        assertThat(polarity.has("cached")).isTrue();
        assertOneLineError(run("datasets", "pull"), "name tasks to pull, or --all");
        assertOneLineError(run("datasets", "show", "sst9"), "unknown task 'sst9'");
    }

    @Test
    void unknownModelIsAOneLineError() {
        assertOneLineError(run("fill-mask", "--model", "bert-huge", "a [MASK]."), "unknown model 'bert-huge'");
        assertOneLineError(run("models", "pull", "bert-huge"), "unknown model 'bert-huge'");
    }

    @Test
    void aDirectoryWithoutConfigIsAOneLineError() {
        assertOneLineError(run("fill-mask", "--model", tmp.toString(), "a [MASK]."), "no config.json in " + tmp);
    }

    @Test
    void aTruncatedCheckpointIsAOneLineError() throws Exception {
        Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"bert\"}");
        Path weights = tmp.resolve("model.safetensors");
        Files.write(weights, new byte[64]);
        try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0}), 0);
        }
        assertOneLineError(run("fill-mask", "--model", tmp.toString(), "a [MASK]."), "truncated");
    }

    @Test
    void unknownEngineIsAOneLineError() {
        assertOneLineError(run("fill-mask", "--engine", "tensorflow", "a [MASK]."), "unknown engine 'tensorflow'");
    }

    @Test
    void unknownOptionIsAOneLineError() {
        assertOneLineError(run("fill-mask", "--topp", "3", "a [MASK]."), "Unknown option");
    }

    @Test
    void badTrainingInputIsAOneLineErrorBeforeAnyWork() {
        String out = tmp.resolve("run").toString();
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "sst9", "--out", out),
                "unknown task 'sst9'");
        assertOneLineError(run("train", "--method", "lora", "--task", "polarity", "--out", out),
                "unknown method 'lora'");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--prompt-length", "0",
                "--out", out), "prompt length must be between 1 and 150, got 0");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--prompt-length", "10000",
                "--out", out), "got 10000");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--lr", "0", "--out", out),
                "--lr must be a positive number");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--lr", "-0.1",
                "--out", out), "--lr must be a positive number");
        assertOneLineError(run("train", "--method", "prompt-design", "--task", "polarity", "--prompt-length", "5",
                "--out", out), "prompt-design has no setting 'length'");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--init", "magic",
                "--out", out), "unknown prompt initialisation 'magic'");
        assertThat(tmp.resolve("run")).doesNotExist();
    }

    @Test
    void resumeRefusesNewSettingsInsteadOfIgnoringThem() {
        assertOneLineError(run("train", "--resume", "--out", tmp.resolve("run").toString(), "--steps", "1300",
                "--lr", "0.1"), "--resume continues the run with the settings in");
        assertOneLineError(run("train", "--resume", "--out", tmp.resolve("run").toString(), "--steps", "1300"),
                "; drop --steps (or start a new run with another --out)");
    }

    @Test
    void randomT5OptionsAreCheckedBeforeAnyWork() throws Exception {
        String out = tmp.resolve("random").toString();
        assertOneLineError(run("models", "random-t5", "--task", "sst9", "--out", out), "unknown task 'sst9'");
        assertOneLineError(run("models", "random-t5", "--task", "polarity", "--vocabulary", "0", "--out", out),
                "--vocabulary must be positive, got 0");
        assertOneLineError(run("models", "random-t5", "--task", "polarity", "--heads", "0", "--out", out),
                "random T5 sizes must be positive");
        Files.createDirectories(tmp.resolve("taken"));
        assertOneLineError(run("models", "random-t5", "--task", "polarity", "--out", tmp.resolve("taken").toString()),
                "already exists; choose a new directory");
        assertThat(tmp.resolve("random")).doesNotExist();
    }

    @Test
    void mixedTaskAndEnsembleOptionsAreCheckedBeforeAnyWork() throws Exception {
        Path run = tmp.resolve("run-a");
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.json"), "{\"model\": \"bert-base-uncased\", \"task\": \"polarity\", "
                + "\"method\": \"prompt-tuning\", \"method_config\": {}, \"training\": {\"steps\": 1, "
                + "\"batch_size\": 1, \"eval_every\": 1, \"patience\": 0, \"seed\": 0, \"optimizer\": \"adafactor\", "
                + "\"learning_rate\": 0.3, \"eval_limit\": 0, \"final_eval_limit\": 0}, \"engine\": \"pytorch\", \"device\": \"cpu\"}");
        assertOneLineError(run("predict"), "give texts to label with --run DIR TEXT...");
        assertOneLineError(run("predict", "--adapters", run.toString()), "--adapters reads its requests from --input FILE");
        assertOneLineError(run("predict", "--adapters", run.toString(), "--input", "x.jsonl", "--run", run.toString()),
                "drop --run and TEXT");
        assertOneLineError(run("predict", "--adapters", run.toString(), "--input", "x.jsonl", "--batch-size", "0"),
                "--batch-size must be at least 1");
        assertOneLineError(run("predict", "--adapters", run.toString(), "--input", "x.jsonl", "--model", "bert-large"),
                "was trained on model 'bert-base-uncased', not 'bert-large'");
        assertOneLineError(run("predict", "--adapters", tmp.resolve("nothing").toString(), "--input", "x.jsonl"),
                "is not a run directory");
        assertOneLineError(run("eval", "--ensemble", run + "," + run, "--run", run.toString()), "drop --run");
        assertOneLineError(run("eval"), "name the run: --run DIR");
    }

    @Test
    void aRunDirectoryIsCheckedBeforeUse() throws Exception {
        assertOneLineError(run("eval", "--run", tmp.toString()), "is not a run directory");
        assertOneLineError(run("train", "--resume", "--out", tmp.toString()), "is not a run directory");
        Files.writeString(tmp.resolve("config.json"), "{\"model\": \"bert-base-uncased\", \"task\": \"polarity\", "
                + "\"method\": \"prompt-tuning\", \"method_config\": {}, \"training\": {\"steps\": 1, "
                + "\"batch_size\": 1, \"eval_every\": 1, \"patience\": 0, \"seed\": 0, \"optimizer\": \"adafactor\", "
                + "\"learning_rate\": 0.3, \"eval_limit\": 0, \"final_eval_limit\": 0}, \"engine\": \"pytorch\", \"device\": \"cpu\"}");
        assertOneLineError(run("eval", "--run", tmp.toString(), "--model", "/some/other/bert"),
                "was trained on model 'bert-base-uncased'");
        assertOneLineError(run("predict", "--run", tmp.toString(), "--model", "bert-large", "great!"),
                "was trained on model 'bert-base-uncased'");
        assertOneLineError(run("train", "--method", "prompt-tuning", "--task", "polarity", "--out", tmp.toString()),
                "already holds a run");
        assertOneLineError(run("train", "--resume", "--out", tmp.toString()), "no checkpoint");
    }

    @Test
    @EnabledIfSystemProperty(named = "peft4j.realModel", matches = "true")
    void fillMaskJsonPutsParisFirstAndTextWithoutMaskIsAnError() throws Exception {
        Result result = run("fill-mask", "--json", "the capital of france is [MASK].");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode line = JSON.readTree(result.out().lines().findFirst().orElseThrow());
        assertThat(line.get("text").asText()).isEqualTo("the capital of france is [MASK].");
        JsonNode mask = line.get("masks").get(0);
        assertThat(mask.get("position").asInt()).isEqualTo(6);
        assertThat(mask.get("top")).hasSize(5);
        assertThat(mask.get("top").get(0).get("token").asText()).isEqualTo("paris");
        assertThat(mask.get("top").get(0).get("id").asInt()).isEqualTo(3000);
        assertThat(mask.get("top").get(0).get("probability").asDouble()).isBetween(0.3, 1.0);

        assertOneLineError(run("fill-mask", "the capital of france is paris."), "no [MASK] in");
    }
}
