/**
 * Pre-trained backbones on DJL: BERT with its masked-LM head, GPT-2 with its LM head and T5 (v1.0/v1.1), all
 * golden-exact against Hugging Face (checked by {@code peft4j.backbone.verify}); the Hugging Face checkpoint layout
 * (safetensors, sharded too), conversion of Google's TF checkpoint, tokenizers, and the local model store.
 */
module peft4j.backbone {
    requires transitive peft4j.api;
    requires ai.djl.tokenizers;
    requires com.google.protobuf;
    requires org.slf4j;
    requires com.google.gson;

    exports peft4j.backbone;
    exports peft4j.backbone.bert;
    exports peft4j.backbone.gpt2;
    exports peft4j.backbone.models;
    exports peft4j.backbone.t5;
    exports peft4j.backbone.tf;
    exports peft4j.backbone.tokenizer;
    exports peft4j.backbone.verify;

    opens peft4j.backbone.bert to com.fasterxml.jackson.databind;
    opens peft4j.backbone.gpt2 to com.fasterxml.jackson.databind;
    opens peft4j.backbone.t5 to com.fasterxml.jackson.databind;
}
