/* Implemented by a library no recipe builds. */
int frob_answer(int question);
