import CShim

print("DNSProbe: libc \(String(cString: cshim_libc_name()))")
