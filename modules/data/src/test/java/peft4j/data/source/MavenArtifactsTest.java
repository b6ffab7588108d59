package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.files.Sha256;

/** Runs {@link MavenArtifacts} against stand-in mvn scripts. */
@DisabledOnOs(OS.WINDOWS)
class MavenArtifactsTest {

    @TempDir
    Path tmp;

    private Path script(String body) throws IOException {
        return StandInScripts.write(tmp, "mvn", body);
    }

    private Path jar() throws IOException {
        Path jar = tmp.resolve("built.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("org/x/grammar.xml"));
            zip.write("<rules/>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    @Test
    void copiesTheJarWhereMavenPutItAndExtractsAnEntry() throws IOException {
        Path built = jar();
        // the output directory is the 6th argument: -DoutputDirectory=DIR
        Path mvn = script("dir=$(echo \"$6\" | sed 's/^-DoutputDirectory=//'); cp '" + built + "' \"$dir/x-1.0.jar\"");
        MavenArtifacts maven = new MavenArtifacts(mvn.toString());

        MavenArtifacts.Jar jar = maven.copy("org.x", "x", "1.0", tmp.resolve("downloads"));
        Path extracted = MavenArtifacts.extract(jar, "org/x/grammar.xml", tmp.resolve("out/org/x/grammar.xml"));

        assertThat(jar.file()).isEqualTo(tmp.resolve("downloads/x-1.0.jar")).exists();
        assertThat(jar.sha256()).isEqualTo(Sha256.of(built));
        assertThat(extracted).hasContent("<rules/>");
        assertThatThrownBy(() -> MavenArtifacts.extract(jar, "org/x/missing.xml", tmp.resolve("m.xml")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("org.x:x:1.0 has no file org/x/missing.xml");
    }

    @Test
    void failureQuotesMavensError() throws IOException {
        Path mvn = script("echo '[ERROR] Could not resolve artifact org.x:x:jar:9.9'; exit 1");

        assertThatThrownBy(() -> new MavenArtifacts(mvn.toString()).copy("org.x", "x", "9.9", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("Maven could not fetch org.x:x:9.9")
                .hasMessageContaining("Could not resolve artifact");
    }

    @Test
    void missingMavenSaysToInstallIt() {
        assertThatThrownBy(() -> new MavenArtifacts(tmp.resolve("no-mvn").toString()).copy("a", "b", "1", tmp))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("install Maven");
    }
}
