package peft4j.data;

import java.nio.file.Path;

/**
 * Raw data as fetched by a {@link DatasetSource}, with the provenance a manifest records.
 *
 * @param kind    how it was fetched, e.g. {@code debian}
 * @param name    what was fetched, e.g. the package name
 * @param version the version fetched
 * @param sha256  hex sha256 of the downloaded archive
 * @param root    where its contents lie on disk (e.g. the extracted package)
 */
public record RawData(String kind, String name, String version, String sha256, Path root) {
}
