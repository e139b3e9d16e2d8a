const char *cglibconly_version(void);
