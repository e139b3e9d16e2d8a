import CShim

print("ConformanceProbe: libc \(String(cString: cshim_libc_name()))")
