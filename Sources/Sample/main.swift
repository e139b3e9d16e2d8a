import CShim

print("Sample: libc \(String(cString: cshim_libc_name()))")
