/* glibc 2.32+ exports `char __libc_single_threaded`; libstdc++ reads it to
 * skip atomic reference counting while a process has one thread.
 * musl has no such flag and no hook on pthread_create to clear it, so the
 * only safe value is 0: "maybe multi-threaded". libstdc++ then always uses
 * atomics, which is exactly what it does on glibc after the first thread. */
char __libc_single_threaded = 0;
