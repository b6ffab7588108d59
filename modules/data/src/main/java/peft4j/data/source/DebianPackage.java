package peft4j.data.source;

import java.nio.file.Path;

/**
 * A downloaded Debian package file.
 *
 * @param name    the package name, e.g. {@code python3-pattern}
 * @param version its version, e.g. {@code 2.6+git20180818-4}
 * @param sha256  hex sha256 of the .deb
 * @param file    where the .deb lies
 */
public record DebianPackage(String name, String version, String sha256, Path file) {
}
