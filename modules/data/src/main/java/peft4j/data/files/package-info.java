/** File helpers of this module (checksums); not exported. */
package peft4j.data.files;
