/**
 * Where task data comes from: {@link peft4j.data.DatasetSource} implementations per task, and the clients they use
 * ({@link peft4j.data.source.DebianPackages} for Debian packages, {@link peft4j.data.source.CsvReader}).
 */
package peft4j.data.source;
