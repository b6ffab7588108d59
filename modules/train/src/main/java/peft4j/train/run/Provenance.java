package peft4j.train.run;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** How a result was made: code version, libraries, engine, device, machine. Recorded with every run and report. */
public final class Provenance {

    private Provenance() {
    }

    public static Map<String, Object> describe(Engine engine, String device, long seed) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("peft4j_version", version());
        facts.put("git_commit", System.getProperty("peft4j.gitCommit", "unknown"));
        facts.put("djl_version", Engine.getDjlVersion());
        facts.put("engine", engine.getEngineName());
        facts.put("engine_version", engine.getVersion());
        facts.put("device", device);
        facts.put("cpu", cpuModel());
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("java", System.getProperty("java.version"));
        facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        facts.put("seed", seed);
        facts.put("started", Instant.now().toString());
        return facts;
    }

    /** e.g. "AMD EPYC, 2 cores, Java 17.0.15, Linux amd64". */
    public static String machine() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }

    static String version() {
        String version = Provenance.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    public static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse("unknown CPU");
            } catch (IOException e) {
                return "unknown CPU";
            }
        }
        return "unknown CPU";
    }
}
