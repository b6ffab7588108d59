/** The {@code peft4j} command line: picocli commands wired by Guice, methods found through the SPI. */
module peft4j.cli {
    requires peft4j.api;
    requires peft4j.backbone;
    requires peft4j.data;
    requires peft4j.train;
    requires peft4j.serve;
    requires peft4j.eval;
    requires info.picocli;
    requires com.google.guice;
    requires me.tongfei.progressbar;
    requires org.slf4j;
    requires com.google.gson;

    uses peft4j.api.AdaptationMethod;

    opens peft4j.cli to info.picocli, com.google.guice, com.fasterxml.jackson.databind;
}
