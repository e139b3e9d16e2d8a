#ifdef __cplusplus
extern "C"
#endif
int cxxlib_answer(void);
