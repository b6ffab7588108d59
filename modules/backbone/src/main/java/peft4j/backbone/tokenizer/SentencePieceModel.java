package peft4j.backbone.tokenizer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.UserError;

/**
 * The parts of a SentencePiece {@code ModelProto} ({@code spiece.model}) a tokenizer needs, read field by field with
 * protobuf's wire-format reader (field numbers from sentencepiece_model.proto).
 *
 * @param pieces              the vocabulary; a piece's index is its id
 * @param modelType           trainer_spec.model_type: 1 unigram, 2 BPE, 3 word, 4 char
 * @param unknownId           the id of the UNKNOWN piece
 * @param byteFallback        trainer_spec.byte_fallback
 * @param precompiledCharsmap normalizer_spec.precompiled_charsmap (empty when the model does not normalise)
 * @param addDummyPrefix      normalizer_spec.add_dummy_prefix: a space before the text
 * @param removeExtraWhitespaces normalizer_spec.remove_extra_whitespaces: strip and collapse runs of spaces
 */
public record SentencePieceModel(List<Piece> pieces, int modelType, int unknownId, boolean byteFallback,
        byte[] precompiledCharsmap, boolean addDummyPrefix, boolean removeExtraWhitespaces) {

    public static final int UNIGRAM = 1;

    /** One vocabulary entry. {@code type}: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte. */
    public record Piece(String piece, float score, int type) {
        public static final int NORMAL = 1;
        public static final int UNKNOWN = 2;
        public static final int CONTROL = 3;
    }

    private static final int MODEL_PIECES = 1;
    private static final int MODEL_TRAINER_SPEC = 2;
    private static final int MODEL_NORMALIZER_SPEC = 3;

    public static SentencePieceModel read(Path file) {
        try {
            return parse(CodedInputStream.newInstance(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + " is not a SentencePiece model (" + e.getMessage() + "); replace it with the "
                    + "checkpoint's spiece.model");
        }
    }

    private static SentencePieceModel parse(CodedInputStream in) throws IOException {
        List<Piece> pieces = new ArrayList<>();
        int modelType = UNIGRAM;
        int trainerUnknownId = 0;
        boolean byteFallback = false;
        byte[] charsmap = new byte[0];
        boolean addDummyPrefix = true;
        boolean removeExtraWhitespaces = true;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case MODEL_PIECES -> pieces.add(piece(in.readBytes().newCodedInput()));
                case MODEL_TRAINER_SPEC -> {
                    CodedInputStream spec = in.readBytes().newCodedInput();
                    for (int t = spec.readTag(); t != 0; t = spec.readTag()) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 3 -> modelType = spec.readEnum();
                            case 35 -> byteFallback = spec.readBool();
                            case 40 -> trainerUnknownId = spec.readInt32();
                            default -> spec.skipField(t);
                        }
                    }
                }
                case MODEL_NORMALIZER_SPEC -> {
                    CodedInputStream spec = in.readBytes().newCodedInput();
                    for (int t = spec.readTag(); t != 0; t = spec.readTag()) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 2 -> charsmap = spec.readBytes().toByteArray();
                            case 3 -> addDummyPrefix = spec.readBool();
                            case 4 -> removeExtraWhitespaces = spec.readBool();
                            default -> spec.skipField(t);
                        }
                    }
                }
                default -> in.skipField(tag);
            }
        }
        if (pieces.isEmpty()) {
            throw new IOException("no pieces");
        }
        int unknownId = trainerUnknownId;
        for (int i = 0; i < pieces.size(); i++) {
            if (pieces.get(i).type() == Piece.UNKNOWN) {
                unknownId = i;
            }
        }
        return new SentencePieceModel(List.copyOf(pieces), modelType, unknownId, byteFallback, charsmap,
                addDummyPrefix, removeExtraWhitespaces);
    }

    private static Piece piece(CodedInputStream in) throws IOException {
        String piece = "";
        float score = 0;
        int type = Piece.NORMAL;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> piece = in.readString();
                case 2 -> score = in.readFloat();
                case 3 -> type = in.readEnum();
                default -> in.skipField(tag);
            }
        }
        return new Piece(piece, score, type);
    }
}
