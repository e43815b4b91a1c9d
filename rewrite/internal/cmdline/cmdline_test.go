package cmdline

import (
	"slices"
	"strings"
	"testing"
)

// TestCommandIdentity is the decision table of split-entrypoint: for each
// command, the words that go into ENTRYPOINT (the rest stays in CMD), or
// none when the command is not split, and the kind of decision.
func TestCommandIdentity(t *testing.T) {
	tests := []struct {
		argv []string
		// entrypoint is the identity prefix; nil means no suggestion.
		entrypoint []string
		kind       string
	}{
		// Python: options, then the script or -m module or -c code.
		{cmdWords("python manage.py runserver 0.0.0.0:8000"), cmdWords("python manage.py"), "python"},
		{cmdWords("python -m http.server 8000"), cmdWords("python -m http.server"), "python"},
		{cmdWords("python -mhttp.server 8000"), cmdWords("python -mhttp.server"), "python"},
		{cmdWords("python3 -u app.py --port 80"), cmdWords("python3 -u app.py"), "python"},
		{cmdWords("python3.12 -OO -B server.py -v"), cmdWords("python3.12 -OO -B server.py"), "python"},
		{cmdWords("python3 -uB app.py x"), cmdWords("python3 -uB app.py"), "python"},
		{cmdWords("python3 -X dev -W ignore app.py x"), cmdWords("python3 -X dev -W ignore app.py"), "python"},
		{cmdWords("python3 -Xdev -Wignore app.py x"), cmdWords("python3 -Xdev -Wignore app.py"), "python"},
		{cmdWords("/usr/local/bin/python3.13t app.py x"), cmdWords("/usr/local/bin/python3.13t app.py"), "python"},
		{cmdWords("pypy3 app.py x"), cmdWords("pypy3 app.py"), "python"},
		{[]string{"python", "-c", "import app; app.main()", "--port", "80"}, []string{"python", "-c", "import app; app.main()"}, "python"},
		{cmdWords("python -- app.py -x"), cmdWords("python -- app.py"), "python"},
		{cmdWords(`C:\Python312\python.exe app.py --port 80`), cmdWords(`C:\Python312\python.exe app.py`), "python"},
		{cmdWords("python app.py"), nil, nothingLeft},
		{cmdWords("python3"), nil, nothingLeft},
		{cmdWords("python -i"), nil, nothingLeft},
		{cmdWords("python -Z app.py x"), nil, noSplitUnrecognized},
		{cmdWords("python --frobnicate app.py x"), nil, noSplitUnrecognized},
		// python -m of a known tool is decided as that tool.
		{cmdWords("python -m uvicorn main:app --host 0.0.0.0"), cmdWords("python -m uvicorn main:app"), "uvicorn"},
		{cmdWords("python -m gunicorn -b :80 app:app"), nil, nothingLeft},
		{cmdWords("python3 -m flask run --host=0.0.0.0"), cmdWords("python3 -m flask"), "flask"},
		{cmdWords("python -m celery -A proj worker"), cmdWords("python -m celery -A proj"), "celery"},
		{cmdWords("python -m pip install x"), cmdWords("python -m pip"), "python"},

		// WSGI/ASGI servers: options, then the app.
		{cmdWords("gunicorn app:app -b 0.0.0.0:8000 --workers 4"), cmdWords("gunicorn app:app"), "gunicorn"},
		{cmdWords("gunicorn -b :8000 app:app"), nil, nothingLeft},
		{cmdWords("gunicorn -k uvicorn.workers.UvicornWorker main:app --bind 0.0.0.0:80"), cmdWords("gunicorn -k uvicorn.workers.UvicornWorker main:app"), "gunicorn"},
		{cmdWords("gunicorn --preload -w 4 --bind=0.0.0.0:80 wsgi:application --timeout 30"), cmdWords("gunicorn --preload -w 4 --bind=0.0.0.0:80 wsgi:application"), "gunicorn"},
		{cmdWords("gunicorn -b0.0.0.0:80 -D app:app --reload"), cmdWords("gunicorn -b0.0.0.0:80 -D app:app"), "gunicorn"},
		{cmdWords("gunicorn -c gunicorn.conf.py"), nil, nothingLeft},
		{cmdWords("uvicorn main:app --host 0.0.0.0 --port 80"), cmdWords("uvicorn main:app"), "uvicorn"},
		{cmdWords("uvicorn --factory app:create_app --port 80"), cmdWords("uvicorn --factory app:create_app"), "uvicorn"},
		{cmdWords("uvicorn --port 80 main:app"), nil, nothingLeft},
		{cmdWords("uvicorn --unknown-flag main:app --port 80"), nil, noSplitUnrecognized},

		// Tools whose first argument is a subcommand: the program, with the
		// options before the subcommand that select the app.
		{cmdWords("flask run --host=0.0.0.0"), cmdWords("flask"), "flask"},
		{cmdWords("flask --app hello run --port 5000"), cmdWords("flask --app hello"), "flask"},
		{cmdWords("flask --app=hello --debug run"), cmdWords("flask --app=hello --debug"), "flask"},
		{cmdWords("celery -A proj worker --loglevel=info"), cmdWords("celery -A proj"), "celery"},
		{cmdWords("celery worker -A proj"), cmdWords("celery"), "celery"},
		{cmdWords("npm start"), cmdWords("npm"), "package manager"},
		{cmdWords("npm run dev -- --host 0.0.0.0"), cmdWords("npm"), "package manager"},
		{cmdWords("npm --prefix /app start"), cmdWords("npm --prefix /app"), "package manager"},
		{cmdWords("yarn start"), cmdWords("yarn"), "package manager"},
		{cmdWords("yarn --cwd /app run serve"), cmdWords("yarn --cwd /app"), "package manager"},
		{cmdWords("pnpm --filter web dev"), cmdWords("pnpm --filter web"), "package manager"},
		{cmdWords("pnpm -C /app start"), cmdWords("pnpm -C /app"), "package manager"},
		{cmdWords("myapp serve --port 8080"), cmdWords("myapp"), "program"},
		{cmdWords("/usr/local/bin/myapp --config /etc/myapp.yaml"), cmdWords("/usr/local/bin/myapp"), "program"},
		{cmdWords("rails server -b 0.0.0.0"), cmdWords("rails"), "program"},
		{cmdWords("bin/rails server -b 0.0.0.0"), cmdWords("bin/rails"), "program"},
		{cmdWords("manage.py runserver 0.0.0.0:8000"), cmdWords("manage.py"), "program"},
		{[]string{"nginx", "-g", "daemon off;"}, cmdWords("nginx"), "program"},
		{cmdWords("catalina.sh run"), cmdWords("catalina.sh"), "program"},
		{cmdWords("docker-entrypoint.sh postgres"), cmdWords("docker-entrypoint.sh"), "program"},
		{cmdWords("mvn spring-boot:run"), cmdWords("mvn"), "program"},
		{cmdWords("go run main.go"), cmdWords("go"), "program"},
		{cmdWords("myapp"), nil, nothingLeft},

		// Launchers: the launcher, then the identity of what it runs.
		{cmdWords("bundle exec rails server -b 0.0.0.0 -p 3000"), cmdWords("bundle exec rails"), "ruby"},
		{cmdWords("bundle exec ruby app.rb -p 80"), cmdWords("bundle exec ruby app.rb"), "ruby"},
		{cmdWords("bundle exec --keep-file-descriptors puma -C config/puma.rb"), cmdWords("bundle exec --keep-file-descriptors puma"), "ruby"},
		{cmdWords("bundle exec sh -c x"), nil, noSplitShell},
		{cmdWords("bundle install"), cmdWords("bundle"), "ruby"},
		{cmdWords("poetry run python bot.py --verbose"), cmdWords("poetry run python bot.py"), "python"},
		{cmdWords("poetry run uvicorn main:app --port 80"), cmdWords("poetry run uvicorn main:app"), "uvicorn"},
		{cmdWords("pipenv run gunicorn app:app -w 2"), cmdWords("pipenv run gunicorn app:app"), "gunicorn"},
		{cmdWords("uv run --frozen uvicorn main:app --port 80"), cmdWords("uv run --frozen uvicorn main:app"), "uvicorn"},
		{cmdWords("uv run --with rich server.py --port 80"), cmdWords("uv run --with rich server.py"), "python"},
		{cmdWords("uv run -m http.server 80"), cmdWords("uv run -m http.server"), "python"},
		{cmdWords("uv run server.py"), nil, nothingLeft},
		{cmdWords("npx prisma studio --port 5555"), cmdWords("npx prisma"), "node"},
		{cmdWords("npx -y serve -s build"), cmdWords("npx -y serve"), "node"},
		{cmdWords("npx -c x"), nil, noSplitShell},
		{cmdWords("busybox httpd -f -p 80"), cmdWords("busybox httpd"), "program"},
		{cmdWords("busybox sh"), nil, noSplitShell},

		// Node, Deno, Bun: options, then the script.
		{cmdWords("node server.js --port 3000"), cmdWords("node server.js"), "node"},
		{cmdWords("node /opt/microservices/ratings.js 9080"), cmdWords("node /opt/microservices/ratings.js"), "node"},
		{cmdWords("node --enable-source-maps -r dotenv/config dist/main.js --port 3000"), cmdWords("node --enable-source-maps -r dotenv/config dist/main.js"), "node"},
		{cmdWords("node --max-old-space-size=4096 --import=tsx src/index.ts serve"), cmdWords("node --max-old-space-size=4096 --import=tsx src/index.ts"), "node"},
		{cmdWords("node . --port 80"), cmdWords("node ."), "node"},
		{[]string{"node", "-e", "require('./app').start()", "80"}, []string{"node", "-e", "require('./app').start()"}, "node"},
		{cmdWords("node --require dd-trace/init http.js"), nil, nothingLeft},
		{cmdWords("node"), nil, nothingLeft},
		{cmdWords("node -x app.js 1"), nil, noSplitUnrecognized},
		{cmdWords("deno run --allow-net -c deno.json main.ts --port 8000"), cmdWords("deno run --allow-net -c deno.json main.ts"), "deno"},
		{cmdWords("deno run -A --watch=src/ main.ts --port 8000"), cmdWords("deno run -A --watch=src/ main.ts"), "deno"},
		{cmdWords("deno serve --port 8000 main.ts"), nil, nothingLeft},
		{cmdWords("deno main.ts --port 8000"), cmdWords("deno main.ts"), "deno"},
		{cmdWords("deno task start"), cmdWords("deno"), "deno"},
		{cmdWords("bun src/index.ts --port 3000"), cmdWords("bun src/index.ts"), "bun"},
		{cmdWords("bun run --watch src/index.ts --port 3000"), cmdWords("bun run --watch src/index.ts"), "bun"},
		{cmdWords("bun run start --port 3000"), cmdWords("bun run start"), "bun"},
		{cmdWords("bun test --watch"), cmdWords("bun"), "bun"},

		// Java: options, then -jar file, -m module or the main class.
		{cmdWords("java -Xmx512m -jar app.jar --spring.profiles.active=prod"), cmdWords("java -Xmx512m -jar app.jar"), "java"},
		{cmdWords("java -Xmx1024M -jar /usr/lib/unifi/lib/ace.jar start"), cmdWords("java -Xmx1024M -jar /usr/lib/unifi/lib/ace.jar"), "java"},
		{cmdWords("java -cp app.jar:lib/* com.example.Main serve --port 8080"), cmdWords("java -cp app.jar:lib/* com.example.Main"), "java"},
		{cmdWords("java -classpath /app -Dx=y Main a"), cmdWords("java -classpath /app -Dx=y Main"), "java"},
		{cmdWords("java --class-path=/app/lib/* Main a"), cmdWords("java --class-path=/app/lib/* Main"), "java"},
		{cmdWords("java --module-path mods -m com.example/com.example.Main --port 80"), cmdWords("java --module-path mods -m com.example/com.example.Main"), "java"},
		{cmdWords("java --add-opens java.base/java.lang=ALL-UNNAMED -jar app.jar x"), cmdWords("java --add-opens java.base/java.lang=ALL-UNNAMED -jar app.jar"), "java"},
		{cmdWords("java @/app/jvm.options -XX:+UseG1GC -jar app.jar x"), cmdWords("java @/app/jvm.options -XX:+UseG1GC -jar app.jar"), "java"},
		{cmdWords("java --source 21 Main.java x"), cmdWords("java --source 21 Main.java"), "java"},
		{cmdWords("java -jar app.jar"), nil, nothingLeft},
		{cmdWords("/usr/bin/java -server -Djava.awt.headless=true -Xmx2g -jar /opt/n.jar server /etc/n.yaml"), cmdWords("/usr/bin/java -server -Djava.awt.headless=true -Xmx2g -jar /opt/n.jar"), "java"},

		// Ruby, Perl, PHP: options, then the script.
		{cmdWords("ruby details.rb 9080"), cmdWords("ruby details.rb"), "ruby"},
		{cmdWords("ruby -Ilib -r json --disable gems app.rb x"), cmdWords("ruby -Ilib -r json --disable gems app.rb"), "ruby"},
		{cmdWords("ruby -W0 -x app.rb x"), cmdWords("ruby -W0 -x app.rb"), "ruby"},
		{cmdWords("ruby -e puts(ARGV) a b"), cmdWords("ruby -e puts(ARGV)"), "ruby"},
		{cmdWords("perl -w -Ilib app.pl daemon -l http://*:8080"), cmdWords("perl -w -Ilib app.pl"), "perl"},
		{cmdWords("perl -MMojolicious::Lite -e app->start daemon"), cmdWords("perl -MMojolicious::Lite -e app->start"), "perl"},
		{cmdWords("perl -I lib script/app prefork"), cmdWords("perl -I lib script/app"), "perl"},
		{cmdWords("perl5.36 app.pl x"), cmdWords("perl5.36 app.pl"), "perl"},
		{cmdWords("php artisan serve --host=0.0.0.0 --port=8000"), cmdWords("php artisan"), "php"},
		{cmdWords("php -d memory_limit=-1 bin/console messenger:consume async"), cmdWords("php -d memory_limit=-1 bin/console"), "php"},
		{cmdWords("php -dmemory_limit=-1 -n bin/console x"), cmdWords("php -dmemory_limit=-1 -n bin/console"), "php"},
		{cmdWords("php82 -f public/index.php -- x"), cmdWords("php82 -f public/index.php"), "php"},
		{cmdWords("php -S 0.0.0.0:8000 -t public"), nil, nothingLeft},
		{cmdWords("php -a"), nil, nothingLeft},

		// .NET: the app's dll; otherwise the SDK tool and its subcommand.
		{cmdWords("dotnet MyApp.dll --urls http://0.0.0.0:8080"), cmdWords("dotnet MyApp.dll"), "dotnet"},
		{cmdWords("dotnet exec --runtimeconfig app.runtimeconfig.json app.dll x"), cmdWords("dotnet exec --runtimeconfig app.runtimeconfig.json app.dll"), "dotnet"},
		{cmdWords("dotnet run --project src/Api"), cmdWords("dotnet"), "dotnet"},
		{cmdWords("dotnet aspnetapp.dll"), nil, nothingLeft},

		// Never split.
		{nil, nil, noSplitEmpty},
		{[]string{""}, nil, noSplitEmpty},
		{cmdWords("sh -c exec_myapp"), nil, noSplitShell},
		{cmdWords("/bin/bash -xe /bin/run-builder.sh"), nil, noSplitShell},
		{cmdWords("bash /run.sh --port 80"), nil, noSplitShell},
		{cmdWords("pwsh -Command Start-Service"), nil, noSplitShell},
		{cmdWords("cmd /S /C app.exe"), nil, noSplitShell},
		{cmdWords("powershell.exe -File run.ps1"), nil, noSplitShell},
		{cmdWords("tini -- myapp serve"), nil, noSplitWrapper},
		{cmdWords("/sbin/tini -g -- myapp serve"), nil, noSplitWrapper},
		{cmdWords("dumb-init myapp serve"), nil, noSplitWrapper},
		{cmdWords("/usr/bin/dumb-init /bin/bash /run.sh"), nil, noSplitWrapper},
		{cmdWords("gosu app myapp serve"), nil, noSplitWrapper},
		{cmdWords("su-exec app:app myapp serve"), nil, noSplitWrapper},
		{cmdWords("env FOO=bar myapp serve"), nil, noSplitWrapper},
		{cmdWords("nice -n 10 myapp serve"), nil, noSplitWrapper},
		{cmdWords("timeout 60 myapp serve"), nil, noSplitWrapper},
		{cmdWords("/init myapp serve"), nil, noSplitWrapper},
		{cmdWords("supervisord -n -c /etc/supervisord.conf"), nil, noSplitProcessManager},
		{cmdWords("pm2-runtime ecosystem.config.js --env production"), nil, noSplitProcessManager},
		{cmdWords("sleep infinity"), nil, noSplitPlaceholder},
		{cmdWords("tail -f /dev/null"), nil, noSplitPlaceholder},
		{cmdWords("echo hello"), nil, noSplitPlaceholder},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.argv, " "), func(t *testing.T) {
			id := Of(tc.argv)
			var got []string
			kind := id.Kind
			switch {
			case id.N >= len(tc.argv) && id.N > 0:
				kind = nothingLeft
			case id.N > 0:
				got = tc.argv[:id.N]
			}
			if !slices.Equal(got, tc.entrypoint) || kind != tc.kind {
				t.Errorf("ENTRYPOINT %q (%s), want %q (%s)", got, kind, tc.entrypoint, tc.kind)
			}
		})
	}
}

// w splits a command line on spaces.
func cmdWords(s string) []string { return strings.Fields(s) }

// nothingLeft stands, in the table, for a command whose whole argv would
// go into ENTRYPOINT, leaving nothing for CMD: the rule does not split it.
const nothingLeft = "nothing is left for CMD"
