/**
 * Prefix tuning (Li &amp; Liang, 2021) and P-tuning v2 (Liu et al., 2022): learned key/value prefixes for the
 * self-attention of every layer of a frozen backbone, trained directly or through an MLP reparameterisation. Provides
 * the {@code prefix-tuning} adaptation method.
 */
module peft4j.method.prefix {
    requires peft4j.api;
    requires org.slf4j;
    requires com.google.gson;

    provides peft4j.api.AdaptationMethod with peft4j.method.prefix.PrefixTuning;

    opens peft4j.method.prefix to com.fasterxml.jackson.databind;
}
