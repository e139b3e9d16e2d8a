import CGlibcOnly
print(String(cString: cglibconly_version()))
