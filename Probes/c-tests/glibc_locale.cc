// std::locale on musl through the toolchain's libstdc++.a, which was built
// for glibc's locale object (CShim/compat/glibc_locale.h). Compiled the way
// the musl variant compiles C++: clang for musl with the sysroot's libstdc++
// headers. Without the wrappers, ctype<char> reads NULL tables and crashes.
#include <cstdio>
#include <cstring>
#include <ctime>
#include <locale>
#include <sstream>
#include <string>

static int failures = 0;
#define EXPECT(cond, what) do { if (!(cond)) { std::printf("FAIL glibc_locale: %s\n", what); failures++; } } while (0)

int main()
{
	const std::locale classic = std::locale::classic();
	const std::string text = "Hello, World 42!\t";
	int alpha = 0, digit = 0, punct = 0, upper = 0, lower = 0, space = 0, cntrl = 0;
	for (char c : text) {
		alpha += std::isalpha(c, classic); digit += std::isdigit(c, classic);
		punct += std::ispunct(c, classic); upper += std::isupper(c, classic);
		lower += std::islower(c, classic); space += std::isspace(c, classic);
		cntrl += std::iscntrl(c, classic);
	}
	EXPECT(alpha == 10 && digit == 2 && punct == 2 && upper == 2 && lower == 8 && space == 3 && cntrl == 1,
	       "ctype<char> classification (the table from __ctype_b_loc)");
	std::string shouted = text;
	std::use_facet<std::ctype<char>>(classic).toupper(&shouted[0], &shouted[0] + shouted.size());
	EXPECT(shouted == "HELLO, WORLD 42!\t", "ctype<char>::toupper (the case table)");
	EXPECT(std::tolower('Q', classic) == 'q', "std::tolower");

	// A named locale: created by __newlocale, duplicated, switched to and
	// back (__uselocale), freed (__freelocale) when the last copy goes.
	{
		std::locale named("C");
		std::locale copy = named;
		EXPECT(std::isalpha('x', copy) && !std::isalpha('1', copy), "ctype<char> of a named locale");
		const auto &collate = std::use_facet<std::collate<char>>(named);
		const char a[] = "apple", b[] = "banana";
		EXPECT(collate.compare(a, a + 5, b, b + 6) < 0, "collate<char>::compare (__strcoll_l)");
		EXPECT(collate.transform(a, a + 5).size() == 5, "collate<char>::transform (__strxfrm_l)");
		std::wstring wide = L"MiXeD";
		std::use_facet<std::ctype<wchar_t>>(named).tolower(&wide[0], &wide[0] + wide.size());
		EXPECT(wide == L"mixed", "ctype<wchar_t>::tolower (__towlower_l)");
		EXPECT(std::use_facet<std::ctype<wchar_t>>(named).is(std::ctype_base::digit, L'7'), "ctype<wchar_t>::is (__iswctype_l)");
	}

	// Numbers and time through the C locale's facets.
	std::istringstream in("3.25 -17");
	in.imbue(classic);
	double d = 0; int i = 0;
	in >> d >> i;
	EXPECT(d == 3.25 && i == -17, "num_get (strtod)");
	std::ostringstream out;
	out.imbue(std::locale("C"));
	std::tm tm{}; tm.tm_year = 126; tm.tm_mon = 11; tm.tm_mday = 2; tm.tm_hour = 7; tm.tm_min = 51;
	const char format[] = "%Y-%m-%d %H:%M";
	std::use_facet<std::time_put<char>>(out.getloc()).put(out, out, ' ', &tm, format, format + std::strlen(format));
	EXPECT(out.str() == "2026-12-02 07:51", "time_put (__strftime_l)");

	if (failures) return 1;
	std::printf("PASS glibc_locale (ctype, collate, wide ctype, num_get, time_put on libstdc++.a's locale)\n");
	return 0;
}
