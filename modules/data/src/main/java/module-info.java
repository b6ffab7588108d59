/** peft4j.data: tasks, dataset sources and splits (filled by the prompt-tuning and dataset issues). */
module peft4j.data {
    requires transitive peft4j.api;
}
