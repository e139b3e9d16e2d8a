#ifdef __cplusplus
extern "C" {
#endif
int cxxlib_answer(void);
/// Writes the C++ probe's report (several lines) into buffer; returns its length.
int cxxlib_report(char *buffer, int size);
#ifdef __cplusplus
}
#endif
