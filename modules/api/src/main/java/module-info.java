/**
 * The contract every part of peft4j speaks: the {@link peft4j.api.AdaptationMethod} SPI that method plugins provide,
 * and the hook points a {@link peft4j.api.Backbone} offers them (input-embedding injection, per-layer attention
 * key/value prefixes, access to all weights). Core modules only {@code use} the SPI; they never name a method.
 */
module peft4j.api {
    requires transitive ai.djl.api;
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires com.google.gson;

    exports peft4j.api;
    exports peft4j.api.io;

    uses peft4j.api.AdaptationMethod;
}
