	.section .note.go.buildid,"a",@note
	.balign 4
	.long 3, 8, 4
	.asciz "Go"
	.balign 4
	.ascii "abcdefgh"
#ifdef ABI_TAG
	.section .note.ABI-tag,"a",@note
	.balign 4
	.long 4, 16, 1
	.asciz "GNU"
	.long 0, 3, 2, 0
#endif
	.text
	.globl _start
_start:	jmp rt0
rt0:	mov $60, %eax
	xor %edi, %edi
	syscall
