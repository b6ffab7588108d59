package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {

    @TempDir
    Path tmp;

    private Map<String, String> read(Path tgz) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        TarGz.read(tgz, (name, size, content) -> files.put(name,
                new String(content.readAllBytes(), StandardCharsets.UTF_8)));
        return files;
    }

    @Test
    void readsEveryFileWithItsContentInArchiveOrder() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/package.json", "{\"name\":\"x\"}");
        files.put("package/empty.txt", "");
        files.put("package/block.txt", "y".repeat(512));
        files.put("package/data/" + "d".repeat(120) + ".json", "[1]");

        assertThat(read(TarFixtures.tgz(tmp.resolve("a.tgz"), files))).containsExactlyEntriesOf(files);
    }

    @Test
    void damagedHeaderIsReported() throws IOException {
        Path tgz = tmp.resolve("bad.tgz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(tgz))) {
            out.write("not a tar header".repeat(40).getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> read(tgz)).isInstanceOf(IOException.class).hasMessageContaining("not a valid tar");
    }
}
