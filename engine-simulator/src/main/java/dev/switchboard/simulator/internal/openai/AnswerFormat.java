package dev.switchboard.simulator.internal.openai;

import java.util.List;

/** The JSON shapes one API gives an answer, whole or as a stream of events. */
public interface AnswerFormat {

    /** The body of a response that is not streamed. */
    Object whole(Completion completion);

    /** Events before the first token. */
    List<Object> head(Completion completion);

    /** The event that carries token {@code index}. */
    Object piece(Completion completion, int index);

    /** Events after the last token. */
    List<Object> tail(Completion completion);

    /** Whether the stream ends with a {@code data: [DONE]} event. */
    boolean endsWithDone();
}
