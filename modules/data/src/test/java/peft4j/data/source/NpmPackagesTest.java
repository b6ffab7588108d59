package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.files.Sha256;

/** Runs {@link NpmPackages} against stand-in npm scripts, so no network or Node.js is needed. */
@DisabledOnOs(OS.WINDOWS)
class NpmPackagesTest {

    @TempDir
    Path tmp;

    private Path script(String body) throws IOException {
        return StandInScripts.write(tmp, "npm", body);
    }

    @Test
    void missingNpmSaysToInstallNode() {
        NpmPackages npm = new NpmPackages(tmp.resolve("no-npm").toString());

        assertThatThrownBy(() -> npm.pack("sentiment", "5.0.2", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("no-npm is not installed")
                .hasMessageContaining("install Node.js and npm");
    }

    @Test
    void unknownVersionIsAUserErrorQuotingNpm() throws IOException {
        Path npm = script("echo 'npm error code ETARGET' >&2; echo 'npm error notarget No matching version found for"
                + " sentiment@9.9.9.' >&2; exit 1");

        assertThatThrownBy(() -> new NpmPackages(npm.toString()).pack("sentiment", "9.9.9", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("npm cannot find sentiment@9.9.9")
                .hasMessageContaining("No matching version");
    }

    @Test
    void networkFailureSaysToCheckTheConnection() throws IOException {
        Path npm = script("echo 'npm error code ENOTFOUND' >&2; exit 1");

        assertThatThrownBy(() -> new NpmPackages(npm.toString()).pack("sentiment", "5.0.2", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("npm pack sentiment@5.0.2 failed")
                .hasMessageContaining("network");
    }

    @Test
    void packsRecordsSha256AndExtractsOnlyTheWantedFiles() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package/package.json", "{}");
        files.put("package/test/fixtures/imdb.json", "[]");
        Path tgz = TarFixtures.tgz(tmp.resolve("built.tgz"), files);
        Path npm = script("test \"$1\" = pack && test \"$3\" = sentiment@5.0.2 && cp '" + tgz
                + "' ./sentiment-5.0.2.tgz && echo sentiment-5.0.2.tgz");
        NpmPackages packages = new NpmPackages(npm.toString());
        Path downloads = tmp.resolve("downloads");

        NpmPackage pkg = packages.pack("sentiment", "5.0.2", downloads);
        int extracted = packages.extract(pkg, downloads.resolve("sentiment-5.0.2"), p -> p.endsWith("imdb.json"));

        assertThat(pkg.sha256()).isEqualTo(Sha256.of(tgz));
        assertThat(pkg.file()).isEqualTo(downloads.resolve("sentiment-5.0.2.tgz")).exists();
        assertThat(extracted).isEqualTo(1);
        assertThat(downloads.resolve("sentiment-5.0.2/package/test/fixtures/imdb.json")).hasContent("[]");
        assertThat(downloads.resolve("sentiment-5.0.2/package/package.json")).doesNotExist();
    }
}
