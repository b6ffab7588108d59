/** File helpers of this module (checksums, directory trees); not exported. */
package peft4j.data.files;
