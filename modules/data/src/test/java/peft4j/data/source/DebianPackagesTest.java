package peft4j.data.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import peft4j.api.UserError;
import peft4j.data.files.Sha256;

/** Runs {@link DebianPackages} against stand-in apt-get scripts, so no network or apt lists are needed. */
@DisabledOnOs(OS.WINDOWS)
class DebianPackagesTest {

    @TempDir
    Path tmp;

    private Path script(String name, String body) throws IOException {
        return StandInScripts.write(tmp, name, body);
    }

    private Path aptLists(boolean withIndex) throws IOException {
        Path lists = Files.createDirectories(tmp.resolve("lists"));
        if (withIndex) {
            Files.writeString(lists.resolve("mirror_dists_stable_main_binary-amd64_Packages.lz4"), "");
        }
        return lists;
    }

    private DebianPackages withAptGet(Path aptGet, Path lists) {
        return new DebianPackages(aptGet.toString(), "dpkg-deb", lists);
    }

    @Test
    void missingAptGetIsAUserError() throws IOException {
        DebianPackages debian = new DebianPackages(tmp.resolve("no-apt-get").toString(), "dpkg-deb", aptLists(true));

        assertThatThrownBy(() -> debian.download("python3-pattern", tmp.resolve("downloads")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("no-apt-get is not installed");
    }

    @Test
    void unknownPackageWithEmptyListsSaysToRunAptGetUpdate() throws IOException {
        Path aptGet = script("apt-get", "echo \"E: Unable to locate package $2\" >&2; exit 100");

        assertThatThrownBy(() -> withAptGet(aptGet, aptLists(false)).download("python3-pattern", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("package lists are empty")
                .hasMessageContaining("E: Unable to locate package python3-pattern")
                .hasMessageContaining("sudo apt-get update")
                .hasMessageContaining("apt-get update` as root");
    }

    @Test
    void unknownPackageWithListsSaysTheyMayBeStale() throws IOException {
        Path aptGet = script("apt-get", "echo \"E: Unable to locate package $2\" >&2; exit 100");

        assertThatThrownBy(() -> withAptGet(aptGet, aptLists(true)).download("no-such-package", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("cannot find package no-such-package")
                .hasMessageContaining("stale")
                .hasMessageContaining("sudo apt-get update");
    }

    @Test
    void otherFailuresQuoteAptsError() throws IOException {
        Path aptGet = script("apt-get", "echo 'E: Failed to fetch x  Temporary failure resolving' >&2; exit 100");

        assertThatThrownBy(() -> withAptGet(aptGet, aptLists(true)).download("python3-pattern", tmp.resolve("d")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("apt-get download python3-pattern failed")
                .hasMessageContaining("E: Failed to fetch")
                .hasMessageContaining("network");
    }

    @Test
    void downloadsRecordsVersionAndSha256AndExtracts() throws Exception {
        Path deb = buildDeb();
        Path aptGet = script("apt-get", "cp '" + deb + "' ./peft4j-fake_1.2-3_all.deb");
        Path downloads = tmp.resolve("downloads");
        DebianPackages debian = withAptGet(aptGet, aptLists(true));

        DebianPackage downloaded = debian.download("peft4j-fake", downloads);
        Path unpacked = debian.extract(downloaded, downloads.resolve("peft4j-fake_1.2-3"),
                List.of("usr/share/doc/peft4j-fake/data.csv"));

        assertThat(downloaded.name()).isEqualTo("peft4j-fake");
        assertThat(downloaded.version()).isEqualTo("1.2-3");
        assertThat(downloaded.sha256()).isEqualTo(Sha256.of(deb)).hasSize(64);
        assertThat(downloaded.file()).isEqualTo(downloads.resolve("peft4j-fake_1.2-3_all.deb")).exists();
        assertThat(unpacked.resolve("usr/share/doc/peft4j-fake/data.csv")).hasContent("\"1\",\"fine\"");
        assertThat(unpacked.resolve("usr/share/doc/peft4j-fake/README")).doesNotExist(); // only what was asked for
        try (Stream<Path> left = Files.list(downloads)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("peft4j-fake_1.2-3_all.deb", "peft4j-fake_1.2-3");
        }
    }

    @Test
    void extractingAFileThePackageLacksIsAUserError() throws Exception {
        Path deb = buildDeb();
        Path aptGet = script("apt-get", "cp '" + deb + "' ./peft4j-fake_1.2-3_all.deb");
        Path downloads = tmp.resolve("downloads");
        DebianPackages debian = withAptGet(aptGet, aptLists(true));
        DebianPackage downloaded = debian.download("peft4j-fake", downloads);

        assertThatThrownBy(() -> debian.extract(downloaded, downloads.resolve("x"), List.of("usr/share/missing.csv")))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("peft4j-fake 1.2-3 has no file usr/share/missing.csv");
        assertThat(downloads.resolve("x")).doesNotExist();
    }

    /** A tiny real .deb, built with dpkg-deb. */
    private Path buildDeb() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed");
        Path root = tmp.resolve("pkg");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: peft4j-fake\nVersion: 1.2-3\nArchitecture: all\n"
                + "Maintainer: peft4j tests <tests@example.invalid>\nDescription: test package\n");
        Path data = root.resolve("usr/share/doc/peft4j-fake/data.csv");
        Files.createDirectories(data.getParent());
        Files.writeString(data, "\"1\",\"fine\"");
        Files.writeString(data.resolveSibling("README"), "not needed");
        Path deb = tmp.resolve("built.deb");
        Process process = new ProcessBuilder(List.of("dpkg-deb", "--build", root.toString(), deb.toString()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        return deb;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
