import CShim

print("MallocBench: libc \(String(cString: cshim_libc_name()))")
