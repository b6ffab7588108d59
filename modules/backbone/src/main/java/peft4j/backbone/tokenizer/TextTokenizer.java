package peft4j.backbone.tokenizer;

import java.util.List;

/** What every model's tokenizer offers, whatever its algorithm (WordPiece, byte-level BPE, SentencePiece unigram). */
public interface TextTokenizer extends AutoCloseable {

    /** The ids of {@code text} with the special tokens the model expects (BERT: [CLS] … [SEP]; T5: … </s>). */
    long[] ids(String text);

    /** The pieces of {@code text}, without special tokens. */
    List<String> tokenize(String text);

    /** The text of {@code ids}, special tokens left out. */
    String decode(long[] ids);

    /** The id of one vocabulary entry, e.g. {@code </s>}; a UserError when the vocabulary lacks it. */
    long id(String token);

    int vocabularySize();

    /**
     * The id that pads batches: the vocabulary's pad token ({@code [PAD]}, {@code <pad>}); GPT-2 has none, so its
     * end-of-text token (padding is masked, any id would do).
     */
    long padId();

    @Override
    void close();
}
